def calc(expr):
    # ruleid: py-eval-injection
    return eval(expr)

def calc2(request):
    # ruleid: py-eval-injection
    return eval(request.args.get("e"), {})

# ok: py-eval-injection
x = eval("1 + 2")
