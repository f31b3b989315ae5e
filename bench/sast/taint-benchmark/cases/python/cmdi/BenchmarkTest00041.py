from flask import Flask, request, redirect, make_response, url_for
import ast
import html
import os
import shlex
import sqlite3
import subprocess

import requests
from lxml import etree

app = Flask(__name__)
conn = sqlite3.connect("app.db")
tree = etree.parse("users.xml")


TABLE = {"a": "alpha", "b": "beta"}


@app.route("/case")
def case():
    value = TABLE.get(request.args.get("p", ""), "alpha")
    os.system("ping -c 1 " + value)
    return "done"
