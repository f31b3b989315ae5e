from flask import Response, make_response, request

def echo():
    # ruleid: py-flask-response-xss
    return make_response("<p>" + request.args.get("q") + "</p>")

def echo2():
    # ruleid: py-flask-response-xss
    return Response(request.form["msg"], mimetype="text/html")

def ok():
    # ok: py-flask-response-xss
    return make_response("<p>static</p>")
