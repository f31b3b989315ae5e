import ldap

def find(conn, user):
    # ruleid: py-ldap-injection
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + user + ")")
    # ruleid: py-ldap-injection
    conn.search("dc=example,dc=com", f"(uid={user})")
    # ok: py-ldap-injection
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(objectClass=person)")
