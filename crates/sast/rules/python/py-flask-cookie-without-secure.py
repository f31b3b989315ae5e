def login(resp, sid):
    # ruleid: py-flask-cookie-without-secure
    resp.set_cookie("session", sid, httponly=True)
    # ok: py-flask-cookie-without-secure
    resp.set_cookie("session", sid, secure=True, httponly=True, samesite="Lax")
