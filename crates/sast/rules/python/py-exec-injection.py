def run(code):
    # ruleid: py-exec-injection
    exec(code)

# ok: py-exec-injection
exec("import this")
