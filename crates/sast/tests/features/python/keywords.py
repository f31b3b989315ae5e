import subprocess

# ruleid: shell-true
subprocess.run("ls", shell=True)
# ruleid: shell-true
subprocess.run("ls", check=True, shell=True, text=True)
# ok: shell-true
subprocess.run(["ls"], check=True)
# ruleid: exact-kwargs
connect(verify=False, host="x")
# ruleid: exact-kwargs
connect(host="x", verify=False)
# ok: exact-kwargs
connect(host="x", verify=False, timeout=3)
