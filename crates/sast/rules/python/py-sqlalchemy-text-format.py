from sqlalchemy import text

def q(conn, uid):
    # ruleid: py-sqlalchemy-text-format
    conn.execute(text(f"SELECT * FROM t WHERE id = {uid}"))
    # ruleid: py-sqlalchemy-text-format
    conn.execute(text("SELECT * FROM t WHERE id = " + uid))
    # ok: py-sqlalchemy-text-format
    conn.execute(text("SELECT * FROM t WHERE id = :id"), {"id": uid})
