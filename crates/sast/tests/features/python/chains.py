# ruleid: raw-sql-chain
User.objects.filter(active=True).extra(where=["x"])
# ok: raw-sql-chain
User.objects.extra(where=["x"])
# ruleid: paren
eval((a + b))
# ruleid: paren
eval(((a) + b))
# ok: paren
eval(a)
