import jinja2

# ruleid: py-jinja2-autoescape-false
env = jinja2.Environment(loader=jinja2.FileSystemLoader("t"), autoescape=True)
# ok: py-jinja2-autoescape-false
env = jinja2.Environment(loader=jinja2.FileSystemLoader("t"), autoescape=True)
