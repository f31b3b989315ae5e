from flask import redirect, request
from django.http import HttpResponseRedirect

def login_done():
    # ruleid: py-flask-open-redirect
    return redirect(request.args.get("next"))

def dj(req):
    # ruleid: py-flask-open-redirect
    return HttpResponseRedirect(req.GET["next"])

def home():
    # ok: py-flask-open-redirect
    return redirect("/home")
