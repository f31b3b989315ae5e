# ruleid: py-django-insecure-cookie-settings
SESSION_COOKIE_SECURE = False
# ok: py-django-insecure-cookie-settings
CSRF_COOKIE_SECURE = True
