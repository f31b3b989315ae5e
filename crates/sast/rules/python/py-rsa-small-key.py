from cryptography.hazmat.primitives.asymmetric import rsa
from Crypto.PublicKey import RSA

# ruleid: py-rsa-small-key
key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
# ruleid: py-rsa-small-key
key = RSA.generate(512)
# ok: py-rsa-small-key
key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
