import re
from flask import request

def search(text):
    # ruleid: py-regex-injection
    return re.search(request.args["q"], text)

def search_ok(text):
    # ok: py-regex-injection
    return re.search(re.escape(request.args["q"]), text)
