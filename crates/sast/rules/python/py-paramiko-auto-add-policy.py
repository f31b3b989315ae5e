import paramiko

client = paramiko.SSHClient()
# ruleid: py-paramiko-auto-add-policy
client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
# ok: py-paramiko-auto-add-policy
client.set_missing_host_key_policy(paramiko.RejectPolicy())
