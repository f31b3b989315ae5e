def find(cursor, name, order):
    # ruleid: py-sqli-concat
    cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")
    # ruleid: py-sqli-concat
    cursor.execute(base_query + " ORDER BY " + order)
    # ok: py-sqli-concat
    cursor.execute("SELECT * FROM users " + "ORDER BY id")
    # ok: py-sqli-concat
    cursor.execute("SELECT * FROM users WHERE name = %s", (name,))
