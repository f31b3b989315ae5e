import tarfile

def unpack(path, dest):
    with tarfile.open(path) as tar:
        # ruleid: py-tarfile-extractall
        tar.extractall(dest)

def unpack2(path, dest):
    tar = tarfile.open(path)
    # ruleid: py-tarfile-extractall
    tar.extractall(path=dest)

def unpack_ok(path, dest):
    with tarfile.open(path) as tar:
        # ok: py-tarfile-extractall
        tar.extractall(dest, filter="data")
