import hashlib

# ruleid: py-weak-hash-sha1
sig = hashlib.sha1(payload).hexdigest()
# ruleid: py-weak-hash-sha1
h = hashlib.new("sha1", payload)
# ok: py-weak-hash-sha1
sig = hashlib.sha256(payload).hexdigest()
