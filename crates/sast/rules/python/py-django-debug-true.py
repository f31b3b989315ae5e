# ruleid: py-django-debug-true
DEBUG = True
# ok: py-django-debug-true
TEMPLATE_DEBUG = False
