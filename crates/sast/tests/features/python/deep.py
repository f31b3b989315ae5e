import os

# ruleid: deep-request
os.system("ls " + request.args.get("dir"))
# ruleid: deep-request
os.system(request.form)
# ok: deep-request
os.system("ls " + safe_dir)
