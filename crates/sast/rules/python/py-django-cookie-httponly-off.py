# ruleid: py-django-cookie-httponly-off
SESSION_COOKIE_HTTPONLY = False
# ok: py-django-cookie-httponly-off
SESSION_COOKIE_HTTPONLY = True
