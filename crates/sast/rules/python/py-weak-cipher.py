from Crypto.Cipher import DES, AES
from cryptography.hazmat.primitives.ciphers import algorithms

# ruleid: py-weak-cipher
c = DES.new(key, DES.MODE_CBC, iv)
# ruleid: py-weak-cipher
alg = algorithms.ARC4(key)
# ok: py-weak-cipher
c = AES.new(key, AES.MODE_GCM)
