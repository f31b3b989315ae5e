import jwt

def claims(token):
    # ruleid: py-jwt-no-verify
    return jwt.decode(token, options={"verify_signature": False})

def claims_old(token, key):
    # ruleid: py-jwt-no-verify
    return jwt.decode(token, key, verify=False)

def claims_ok(token, key):
    # ok: py-jwt-no-verify
    return jwt.decode(token, key, algorithms=["HS256"])
