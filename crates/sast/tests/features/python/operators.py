import hashlib
import requests
import subprocess
from cryptography.hazmat.primitives.asymmetric import rsa

# ruleid: either
hashlib.md5(b"x")
# ruleid: either
hashlib.sha1(b"x")
# ok: either
hashlib.sha256(b"x")


def fetch(url):
    # ruleid: not-and-inside
    requests.get(url)
    # ok: not-and-inside
    requests.get(url, timeout=5)
    with session():
        # ok: not-and-inside
        requests.get(url)


# ok: not-and-inside
requests.get("https://example.com")

# ruleid: regex-only
password = "hunter2"
# ok: regex-only
password = os.environ["PASSWORD"]

# ruleid: not-regex
print(value)
# ok: not-regex
print(value)  # debug

# ruleid: mv-regex
eval(code)
# ok: mv-regex
evaluate(code)

# ruleid: mv-comparison
rsa.generate_private_key(public_exponent=65537, key_size=1024)
# ok: mv-comparison
rsa.generate_private_key(public_exponent=65537, key_size=4096)

# ruleid: mv-pattern
subprocess.call("ls " + path, shell=True)
# ok: mv-pattern
subprocess.call(["ls", path])

requests.post(
    url,
    # ruleid: focus
    data=payload,
)
