from flask import Flask

app = Flask(__name__)
# ruleid: py-flask-debug-true
app.run(host="0.0.0.0", debug=True)
# ok: py-flask-debug-true
app.run(host="127.0.0.1")
