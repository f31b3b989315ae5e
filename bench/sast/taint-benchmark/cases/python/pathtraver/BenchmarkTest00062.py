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


class Job:
    def __init__(self, v):
        self.v = v

    def run(self):
        return open("/srv/data/" + self.v).read()


@app.route("/case")
def case():
    Job(request.args.get("p", "")).run()
    return "done"
