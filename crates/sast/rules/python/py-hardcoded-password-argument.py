import psycopg2

# ruleid: py-hardcoded-password-argument
conn = psycopg2.connect(host="db", user="app", password="Pr0d-Passw0rd")
# ok: py-hardcoded-password-argument
conn = psycopg2.connect(host="db", user="app", password=os.environ["PGPASSWORD"])
