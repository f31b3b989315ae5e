def find(cursor, user_id):
    # ruleid: py-sqli-str-format
    cursor.execute("SELECT * FROM users WHERE id = {}".format(user_id))
    # ok: py-sqli-str-format
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
