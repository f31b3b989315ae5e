import marshal

def restore(blob):
    # ruleid: py-marshal-load
    return marshal.loads(blob)

def save(obj):
    # ok: py-marshal-load
    return marshal.dumps(obj)
