def f(a, b):
    # ruleid: same-operands
    if a == a:
        pass
    # ok: same-operands
    if a == b:
        pass
    # ruleid: same-operands
    if a.x + 1 == a.x + 1:
        pass
    # ruleid: wildcard-args
    check(1, "two")
    # ok: wildcard-args
    check(1)
    # ruleid: args-sequence
    log("a", "b", level=3)
    # ruleid: args-sequence
    log(level=3)
    # ok: args-sequence
    log("a", "b")
