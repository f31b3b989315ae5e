import os
import zipfile

def unpack(path, dest):
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            # ruleid: py-zip-slip
            target = os.path.join(dest, info.filename)
            with open(target, "wb") as f:
                f.write(z.read(info))

def unpack_ok(path, dest):
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            # ok: py-zip-slip
            z.extract(info, dest)
