from flask import request, redirect, url_for

def login():
    nxt = request.args.get("next")
    # ruleid: py-flask-open-redirect
    return redirect(nxt)

def logout():
    target = request.values.get("to")
    if target in ("/", "/home"):
        # ok: py-flask-open-redirect
        return redirect(target)
    # ok: py-flask-open-redirect
    return redirect(url_for("index", next=target))
