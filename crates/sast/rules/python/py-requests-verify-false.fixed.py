import requests

# ruleid: py-requests-verify-false
r = requests.get("https://internal.example", verify=True)
# ruleid: py-requests-verify-false
r = requests.post(url, json=body, verify=True, timeout=5)
# ok: py-requests-verify-false
r = requests.get("https://internal.example", verify="/etc/ssl/ca.pem")
