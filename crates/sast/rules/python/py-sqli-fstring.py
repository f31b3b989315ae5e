def find(cursor, user_id, name):
    # ruleid: py-sqli-fstring
    cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")
    # ruleid: py-sqli-fstring
    cursor.executemany(f"DELETE FROM t WHERE name = '{name}'", [])
    # ok: py-sqli-fstring
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
