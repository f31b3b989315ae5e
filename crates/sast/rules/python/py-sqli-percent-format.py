def find(cursor, user_id):
    # ruleid: py-sqli-percent-format
    cursor.execute("SELECT * FROM users WHERE id = %s" % user_id)
    # ruleid: py-sqli-percent-format
    query = "SELECT * FROM users WHERE name = '%s'" % name
    cursor.execute(query)
    # ok: py-sqli-percent-format
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
