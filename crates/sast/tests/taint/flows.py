from flask import request
COLS = {"a": "name", "b": "email"}
Q = "SELECT * FROM t"

def helper(v):
    return "SELECT " + v

def run(cur, q):
    cur.execute(q)  # bad: reached from view() below

def view(cur):
    uid = request.args.get("id")
    q = "SELECT * FROM users WHERE id = " + uid
    cur.execute(q)  # bad 1
    cur.execute("SELECT " + str(int(uid)))  # ok
    x = uid
    x = "const"
    cur.execute(x)  # ok
    col = COLS[request.args.get("c")]
    cur.execute(Q + col)  # ok
    cur.execute(helper(uid))  # bad 2
    run(cur, uid)  # reported inside run()
    if uid.isdigit():
        cur.execute(uid)  # ok
    else:
        cur.execute(uid)  # bad 4
    d = {"safe": "x", "bad": uid}
    cur.execute(d["safe"])  # ok
    cur.execute(d["bad"])  # bad 5
    y = uid
    if cond:
        y = int(y)
    cur.execute(f"SELECT {y}")  # bad 6
    lst = []
    lst.append(request.form["z"])
    cur.execute(",".join(lst))  # bad 7
    a, b = uid, "k"
    cur.execute(b)  # ok
    cur.execute(a)  # bad 8
    for item in [uid]:
        cur.execute(item)  # bad 9
    try:
        z = uid
    except Exception:
        z = "c"
    cur.execute(z)  # bad 10
    g = lambda p: cur.execute(p)
    def inner():
        cur.execute(uid)  # bad 11 closure
    inner()

class C:
    def m(self, cur):
        v = request.args.get("x")
        self.do(cur, v)
    def do(self, cur, w):
        cur.execute(w)  # bad 12
