from flask import request, session

ROLES = {"viewer", "editor"}


def remember(name):
    # ruleid: py-taint-trust-boundary
    session["display_name"] = name


def login():
    # ruleid: py-taint-trust-boundary
    session["role"] = request.form["role"]
    remember(request.form["name"])
    role = request.form["role"]
    if role in ROLES:
        # ok: py-taint-trust-boundary
        session["role"] = role
    # ok: py-taint-trust-boundary
    session["page"] = int(request.args.get("page", "1"))
    # ok: py-taint-trust-boundary
    session["logged_in"] = True
    return "ok"
