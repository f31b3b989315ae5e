import ldap
from ldap.filter import escape_filter_chars
from flask import request

def find_user(conn):
    user = request.args.get("user")
    # ruleid: py-ldap-injection
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + user + ")")
    # ok: py-ldap-injection
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=%s)" % escape_filter_chars(user))
