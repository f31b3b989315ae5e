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


class Service:
    def handle(self, v):
        return self.send(v)

    def send(self, v):
        return eval(v)


@app.route("/case")
def case():
    Service().handle(request.args.get("p", ""))
    return "done"
