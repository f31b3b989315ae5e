import requests
import yaml

# ruleid: yaml-safe-load
config = yaml.safe_load(stream)
# ok: yaml-safe-load
config = yaml.safe_load(stream)
# ruleid: verify-false
requests.get(url, verify=True)
