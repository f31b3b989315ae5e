import os

def ping(host):
    # ruleid: py-os-system-injection
    os.system("ping -c 1 " + host)
    # ruleid: py-os-system-injection
    os.system(f"ping -c 1 {host}")
    # ok: py-os-system-injection
    os.system("uptime")
