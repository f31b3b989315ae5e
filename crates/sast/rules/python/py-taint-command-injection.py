import os
import shlex
import subprocess
from flask import request

def ping(host):
    # ruleid: py-taint-command-injection
    os.system("ping -c 1 " + host)

def view():
    host = request.args.get("host")
    # ruleid: py-taint-command-injection
    subprocess.run("nslookup " + host, shell=True)
    ping(host)
    # ok: py-taint-command-injection
    subprocess.run(["nslookup", host])
    # ok: py-taint-command-injection
    os.system("nslookup " + shlex.quote(host))
    cmd = {"a": "uptime", "b": host}
    # ok: py-taint-command-injection
    os.system(cmd["a"])
    # ruleid: py-taint-command-injection
    os.popen(cmd["b"])
    tool = host
    tool = "whoami"
    # ok: py-taint-command-injection
    os.system(tool)
