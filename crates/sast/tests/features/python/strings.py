import hashlib

# ruleid: any-string-arg
secret("hunter2")
# ok: any-string-arg
secret(password)
# ruleid: regex-string
hashlib.new("MD5")
# ruleid: regex-string
hashlib.new('sha1')
# ok: regex-string
hashlib.new("sha256")
# ruleid: fstring-sql
cursor.execute(f"SELECT * FROM t WHERE id = {user_id}")
# ok: fstring-sql
cursor.execute("SELECT * FROM t WHERE id = %s", (user_id,))
# ruleid: string-value
mode('w')
# ok: string-value
mode("r")
