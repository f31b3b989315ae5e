from flask import render_template_string, request

def hello():
    # ruleid: py-flask-render-template-string
    return render_template_string("<h1>Hello " + request.args["name"] + "</h1>")

def hello_ok():
    # ok: py-flask-render-template-string
    return render_template_string("<h1>Hello {{ name }}</h1>", name=request.args["name"])
