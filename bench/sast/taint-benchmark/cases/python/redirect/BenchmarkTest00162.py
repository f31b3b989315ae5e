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
    value = request.args.get("p", "")
    if value in ("alpha", "beta"):
        redirect(value)
    return "done"
