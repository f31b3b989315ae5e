import ast
from flask import request

def calc():
    expr = request.args.get("expr")
    # ruleid: py-taint-code-injection
    result = eval(expr)
    # ok: py-taint-code-injection
    value = eval(str(int(expr)))
    # ok: py-taint-code-injection
    data = ast.literal_eval(expr)
    code = "print(%s)" % expr
    # ruleid: py-taint-code-injection
    exec(code)
