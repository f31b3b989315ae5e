import os
from flask import request, send_file

BASE = "/srv/files/"

def read(name):
    # ruleid: py-taint-path-traversal
    with open(os.path.join(BASE, name)) as fh:
        return fh.read()

def download():
    name = request.args.get("file")
    # ruleid: py-taint-path-traversal
    send_file(BASE + name)
    read(name)
    # ok: py-taint-path-traversal
    send_file(os.path.join(BASE, os.path.basename(name)))
    full = os.path.realpath(os.path.join(BASE, name))
    if not full.startswith(BASE):
        return "no"
    # ok: py-taint-path-traversal
    return send_file(full)
