import hashlib

# ruleid: py-pbkdf2-low-iterations
dk = hashlib.pbkdf2_hmac("sha256", pw, salt, 1000)
# ok: py-pbkdf2-low-iterations
dk = hashlib.pbkdf2_hmac("sha256", pw, salt, 600_000)
