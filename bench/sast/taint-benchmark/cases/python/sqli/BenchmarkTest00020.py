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


class Holder:
    pass


@app.route("/case")
def case():
    h = Holder()
    h.tainted = request.args.get("p", "")
    h.safe = "constant"
    conn.cursor().execute("SELECT * FROM users WHERE name = '" + h.safe + "'")
    return "done"
