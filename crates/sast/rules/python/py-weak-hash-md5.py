import hashlib

# ruleid: py-weak-hash-md5
digest = hashlib.md5(data).hexdigest()
# ruleid: py-weak-hash-md5
h = hashlib.new("MD5")
# ok: py-weak-hash-md5
cache_key = hashlib.md5(data, usedforsecurity=False).hexdigest()
# ok: py-weak-hash-md5
digest = hashlib.sha256(data).hexdigest()
