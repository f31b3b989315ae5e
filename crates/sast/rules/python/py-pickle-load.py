import pickle
import jsonpickle

def restore(blob):
    # ruleid: py-pickle-load
    return pickle.loads(blob)

def restore2(f):
    # ruleid: py-pickle-load
    return jsonpickle.decode(f.read())

def save(obj):
    # ok: py-pickle-load
    return pickle.dumps(obj)
