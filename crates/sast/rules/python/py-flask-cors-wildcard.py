from flask_cors import CORS

# ruleid: py-flask-cors-wildcard
CORS(app, origins="*", supports_credentials=True)
# ok: py-flask-cors-wildcard
CORS(app, origins=["https://app.example.com"])

def after(resp):
    # ruleid: py-flask-cors-wildcard
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
