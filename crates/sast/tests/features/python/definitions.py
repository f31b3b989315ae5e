# ruleid: route-without-login
@app.route("/a")
def a():
    return "a"


# ok: route-without-login
@app.route("/b")
@login_required
def b():
    return "b"


# ruleid: class-with-base
class Oops(Exception):
    pass


# ok: class-with-base
class Fine(object):
    pass


def g():
    # ruleid: return-none
    return None
