from django.utils.safestring import mark_safe

# ok: mark-safe-nonconst
mark_safe("<b>bold</b>")
# ok: mark-safe-nonconst
mark_safe("<b>" + "bold" + "</b>")
# ok: mark-safe-nonconst
mark_safe(' class="end"' if last else "")
# ruleid: mark-safe-nonconst
mark_safe("<b>" + name + "</b>")
# ruleid: mark-safe-nonconst
mark_safe(name if last else "")
