import subprocess

def archive(name):
    # ruleid: py-subprocess-shell-true
    subprocess.run("tar czf out.tgz " + name, shell=True)
    # ruleid: py-subprocess-shell-true
    subprocess.Popen(f"ls {name}", shell=True, stdout=subprocess.PIPE)
    # ok: py-subprocess-shell-true
    subprocess.run(["tar", "czf", "out.tgz", name])
    # ok: py-subprocess-shell-true
    subprocess.run("ls -l", shell=True)
