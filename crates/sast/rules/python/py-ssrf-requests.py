import requests
from flask import request

def proxy():
    # ruleid: py-ssrf-requests
    return requests.get(request.args["url"]).text

def hook():
    # ruleid: py-ssrf-requests
    requests.post("https://" + request.form["host"] + "/hook", json={})

def fixed():
    # ok: py-ssrf-requests
    return requests.get("https://api.example.com/status").text
