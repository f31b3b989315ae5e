import base64
import json
import pickle

import yaml
from flask import request


def restore(blob):
    # ruleid: py-taint-deserialization
    return pickle.loads(blob)


def view():
    data = base64.b64decode(request.form["state"])
    # ruleid: py-taint-deserialization
    state = pickle.loads(data)
    restore(data)
    # ruleid: py-taint-deserialization
    config = yaml.load(request.data, Loader=yaml.Loader)
    # ok: py-taint-deserialization
    safe = yaml.safe_load(request.data)
    # ok: py-taint-deserialization
    parsed = json.loads(request.data)
    cached = open("/var/cache/app/state.pkl", "rb").read()
    # ok: py-taint-deserialization
    local = pickle.loads(cached)
    return str((state, config, safe, parsed, local))
