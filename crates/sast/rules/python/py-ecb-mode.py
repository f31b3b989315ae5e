from Crypto.Cipher import AES
from cryptography.hazmat.primitives.ciphers import modes

# ruleid: py-ecb-mode
c = AES.new(key, AES.MODE_ECB)
# ruleid: py-ecb-mode
mode = modes.ECB()
# ok: py-ecb-mode
c = AES.new(key, AES.MODE_GCM)
