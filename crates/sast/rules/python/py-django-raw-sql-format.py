from django.db.models.expressions import RawSQL

def view(request, uid):
    # ruleid: py-django-raw-sql-format
    User.objects.raw(f"SELECT * FROM auth_user WHERE id = {uid}")
    # ruleid: py-django-raw-sql-format
    User.objects.raw("SELECT * FROM auth_user WHERE id = %s" % uid)
    # ruleid: py-django-raw-sql-format
    qs = User.objects.annotate(x=RawSQL(f"SELECT {uid}", []))
    # ok: py-django-raw-sql-format
    User.objects.raw("SELECT * FROM auth_user WHERE id = %s", [uid])
