# ruleid: py-django-debug-true
DEBUG = False
# ok: py-django-debug-true
TEMPLATE_DEBUG = False
