def login(resp, sid):
    # ruleid: py-flask-cookie-without-httponly
    resp.set_cookie("session", sid, secure=True)
    # ok: py-flask-cookie-without-httponly
    resp.set_cookie("session", sid, secure=True, httponly=True)
