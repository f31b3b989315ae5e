import yaml

def parse(text):
    # ruleid: py-yaml-unsafe-load
    a = yaml.load(text)
    # ruleid: py-yaml-unsafe-load
    b = yaml.load(text, Loader=yaml.Loader)
    # ok: py-yaml-unsafe-load
    c = yaml.safe_load(text)
    # ok: py-yaml-unsafe-load
    d = yaml.load(text, Loader=yaml.SafeLoader)
    return a, b, c, d
