import os
from flask import request, send_file

def download():
    # ruleid: py-path-traversal-open
    return open(os.path.join("/srv/files", request.args["name"])).read()

def download2():
    # ruleid: py-path-traversal-open
    return send_file("/srv/files/" + request.args.get("name"))

def static():
    # ok: py-path-traversal-open
    return open("/srv/files/index.html").read()
