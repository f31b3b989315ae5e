import hashlib

def store(user, password):
    # ruleid: py-weak-password-hash
    user.pw_hash = hashlib.sha256(password.encode()).hexdigest()

def store_ok(user, password):
    # ok: py-weak-password-hash
    user.pw_hash = argon2.PasswordHasher().hash(password)
