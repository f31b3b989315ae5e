# ruleid: py-django-cookie-httponly-off
SESSION_COOKIE_HTTPONLY = True
# ok: py-django-cookie-httponly-off
SESSION_COOKIE_HTTPONLY = True
