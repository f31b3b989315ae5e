def load(path):
    # ruleid: try-except-pass
    try:
        return open(path).read()
    except OSError:
        pass


def several(path):
    # Semgrep matches one handler among several.
    # ruleid: try-except-pass
    try:
        return parse(path)
    except ValueError:
        log("bad value")
    except Exception:
        pass


def with_else(path):
    # An `else` the pattern does not have must be absent.
    # ok: try-except-pass
    try:
        value = parse(path)
    except ValueError:
        pass
    else:
        use(value)


def with_finally(lock):
    # ok: try-except-pass
    try:
        work()
    except RuntimeError:
        pass
    finally:
        lock.release()


def handled(path):
    # ok: try-except-pass
    try:
        return parse(path)
    except ValueError:
        return None


def tuple_of_types(path):
    # One `$EXC` is one exception type, not a tuple of them.
    # ok: try-except-pass
    try:
        return parse(path)
    except (ValueError, KeyError):
        pass
