import ssl

# ruleid: py-ssl-unverified-context
ctx = ssl._create_unverified_context()
# ok: py-ssl-unverified-context
ctx = ssl.create_default_context()
