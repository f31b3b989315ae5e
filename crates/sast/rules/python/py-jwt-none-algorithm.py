import jwt

# ruleid: py-jwt-none-algorithm
token = jwt.encode({"sub": "1"}, None, algorithm="none")
# ruleid: py-jwt-none-algorithm
claims = jwt.decode(token, key, algorithms=["HS256", "none"])
# ok: py-jwt-none-algorithm
token = jwt.encode({"sub": "1"}, key, algorithm="HS256")
