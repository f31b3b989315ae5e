import html
from flask import Flask, request, make_response, jsonify

app = Flask(__name__)

def page(name):
    return "<h1>Hello " + name + "</h1>"

@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: py-flask-response-xss
    return page(name)

@app.route("/safe")
def safe():
    name = request.args.get("name", "")
    # ok: py-flask-response-xss
    return page(html.escape(name))

@app.route("/resp")
def resp():
    bio = request.form["bio"]
    # ruleid: py-flask-response-xss
    r = make_response("<div>" + bio + "</div>")
    # ok: py-flask-response-xss
    return jsonify({"bio": bio})
