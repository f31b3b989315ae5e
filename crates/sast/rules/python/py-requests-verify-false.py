import requests

# ruleid: py-requests-verify-false
r = requests.get("https://internal.example", verify=False)
# ruleid: py-requests-verify-false
r = requests.post(url, json=body, verify=False, timeout=5)
# ok: py-requests-verify-false
r = requests.get("https://internal.example", verify="/etc/ssl/ca.pem")
