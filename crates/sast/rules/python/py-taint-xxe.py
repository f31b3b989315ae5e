from flask import request
from lxml import etree

import defusedxml.lxml


def parse(doc):
    # ruleid: py-taint-xxe
    return etree.fromstring(doc)


def upload():
    body = request.data
    # ruleid: py-taint-xxe
    tree = etree.fromstring(body)
    parse(request.files["doc"].read())
    # ok: py-taint-xxe
    safe = defusedxml.lxml.fromstring(body)
    # ok: py-taint-xxe
    config = etree.fromstring(b"<config><debug>false</debug></config>")
    return str((tree, safe, config))
