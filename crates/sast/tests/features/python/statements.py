def a():
    # ruleid: open-without-close
    f = open("x")
    f.read()


def b():
    # ok: open-without-close
    f = open("x")
    if f:
        f.read()
        f.close()


def c():
    # ruleid: two-statements
    x = input()
    eval(x)


def d():
    # ok: two-statements
    x = input()
    print(x)
    eval(x)
