from lxml import etree
from flask import request

def lookup(tree):
    name = request.args.get("name")
    # ruleid: py-xpath-injection
    tree.xpath("//user[@name='" + name + "']")
    # ok: py-xpath-injection
    tree.xpath("//user[@name=$name]", name=name)
