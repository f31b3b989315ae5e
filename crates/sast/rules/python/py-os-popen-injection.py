import os

def lookup(domain):
    # ruleid: py-os-popen-injection
    return os.popen("nslookup " + domain).read()

def uptime():
    # ok: py-os-popen-injection
    return os.popen("uptime").read()
