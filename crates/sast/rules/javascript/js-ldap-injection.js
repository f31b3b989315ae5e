function find(client, user) {
  // ruleid: js-ldap-injection
  client.search("dc=example,dc=com", { filter: `(uid=${user})`, scope: "sub" }, cb);
  // ruleid: js-ldap-injection
  client.search("dc=example,dc=com", { scope: "sub", filter: "(uid=" + user + ")" }, cb);
  // ok: js-ldap-injection
  client.search("dc=example,dc=com", { filter: "(objectClass=person)" }, cb);
}
