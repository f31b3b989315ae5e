from flask import make_response, request

ALLOWED_LANGS = {"en", "fr", "de"}


def view():
    lang = request.args.get("lang", "en")
    resp = make_response("ok")
    # ruleid: py-taint-header-injection
    resp.headers["Content-Language"] = lang
    # ruleid: py-taint-header-injection
    resp.set_cookie("lang", "pref=" + lang)
    # ok: py-taint-header-injection
    resp.headers["X-Frame-Options"] = "DENY"
    page = int(request.args.get("page", "1"))
    # ok: py-taint-header-injection
    resp.headers["X-Page"] = str(page)
    if lang in ALLOWED_LANGS:
        # ok: py-taint-header-injection
        resp.headers["Content-Language"] = lang
    return resp
