from flask import request
import sqlite3

TABLES = {"u": "users", "o": "orders"}

def where_id(v):
    return "SELECT * FROM users WHERE id = " + v

def run(cur, sql):
    # ruleid: py-taint-sqli
    cur.execute(sql)

def search(cur):
    name = request.args.get("name")
    # ruleid: py-taint-sqli
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    # ruleid: py-taint-sqli
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ruleid: py-taint-sqli
    cur.execute(where_id(name))
    run(cur, request.form["q"])
    # ok: py-taint-sqli
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: py-taint-sqli
    cur.execute("SELECT * FROM users WHERE id = " + str(int(name)))
    # ok: py-taint-sqli
    cur.execute("SELECT * FROM " + TABLES[request.args["t"]])
    order = request.args.get("order")
    if order in ("name", "email"):
        # ok: py-taint-sqli
        cur.execute("SELECT * FROM users ORDER BY " + order)
    else:
        # ruleid: py-taint-sqli
        cur.execute("SELECT * FROM users ORDER BY " + order)
    col = name
    col = "email"
    # ok: py-taint-sqli
    cur.execute("SELECT " + col + " FROM users")
    parts = ["SELECT * FROM users WHERE"]
    parts.append(request.args["cond"])
    # ruleid: py-taint-sqli
    cur.execute(" ".join(parts))

def django_view(request):
    uid = request.GET["id"]
    # ruleid: py-taint-sqli
    User.objects.raw("SELECT * FROM auth_user WHERE id = " + uid)

@api.get("/items/{item_id}")
def read_item(item_id: str, q: str = ""):
    # ruleid: py-taint-sqli
    cur.execute("SELECT * FROM items WHERE id = '" + item_id + "'")
    # ok: py-taint-sqli
    cur.execute("SELECT * FROM items WHERE id = ?", (item_id,))
