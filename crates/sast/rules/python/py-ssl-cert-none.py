import ssl

ctx = ssl.create_default_context()
# ruleid: py-ssl-cert-none
ctx.check_hostname = False
# ruleid: py-ssl-cert-none
ctx.verify_mode = ssl.CERT_NONE
# ok: py-ssl-cert-none
ctx.verify_mode = ssl.CERT_REQUIRED
