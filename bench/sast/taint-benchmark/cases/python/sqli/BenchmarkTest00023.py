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


@app.route("/case")
def case():
    items = []
    items.append("constant")
    items.append(request.args.get("p", ""))
    conn.cursor().execute("SELECT * FROM users WHERE name = '" + items[0] + "'")
    return "done"
