import os
from flask import request, send_file

BASE = "/srv/files/"

def read(name):
    # ruleid: py-path-traversal-open
    with open(os.path.join(BASE, name)) as fh:
        return fh.read()

def download():
    name = request.args.get("file")
    # ruleid: py-path-traversal-open
    send_file(BASE + name)
    read(name)
    # ok: py-path-traversal-open
    send_file(os.path.join(BASE, os.path.basename(name)))
    full = os.path.realpath(os.path.join(BASE, name))
    if not full.startswith(BASE):
        return "no"
    # ok: py-path-traversal-open
    return send_file(full)
