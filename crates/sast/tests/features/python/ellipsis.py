# ruleid: last-arg, first-arg-one
run(1, 2, 3)
# ruleid: last-arg
run(2)
# ruleid: last-arg
run(x)
# ok: last-arg, first-arg-one
run()
# ruleid: list-contains
roles = ["user", "admin", "guest"]
# ok: list-contains
roles = ["user", "guest"]
# ruleid: dict-key
config = {"name": "x", "debug": True}
# ok: dict-key
config = {"name": "x", "debug": False}


# ruleid: any-body
def handler(request):
    code = request.args["c"]
    if code:
        exec(code)


# ok: any-body
def other(request):
    return eval(request.args["c"])
