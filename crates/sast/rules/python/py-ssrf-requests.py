import requests
from flask import request

ALLOWED = {"a": "https://api.example.com/a", "b": "https://api.example.com/b"}

def fetch(u):
    # ruleid: py-ssrf-requests
    return requests.get(u, timeout=5)

def proxy():
    url = request.args.get("url")
    # ruleid: py-ssrf-requests
    requests.post(url, data={})
    fetch(url)
    # ok: py-ssrf-requests
    requests.get(ALLOWED[request.args["which"]], timeout=5)
    # ok: py-ssrf-requests
    requests.get("https://api.example.com/status", params={"q": url})
