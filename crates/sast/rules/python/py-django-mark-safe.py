from django.utils.safestring import mark_safe

def badge(name):
    # ruleid: py-django-mark-safe
    return mark_safe("<b>" + name + "</b>")

def icon():
    # ok: py-django-mark-safe
    return mark_safe("<i class='icon'></i>")
