import ssl

# ruleid: py-ssl-unverified-context
ctx = ssl.create_default_context()
# ok: py-ssl-unverified-context
ctx = ssl.create_default_context()
