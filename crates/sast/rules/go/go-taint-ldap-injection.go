package main

import (
	"net/http"

	"github.com/go-ldap/ldap/v3"
)

func byFilter(conn *ldap.Conn, filter string) {
	// ruleid: go-taint-ldap-injection
	conn.Search(ldap.NewSearchRequest("dc=example,dc=org", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, filter, []string{"dn"}, nil))
}

func lookup(conn *ldap.Conn, w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	// ruleid: go-taint-ldap-injection
	req := ldap.NewSearchRequest("dc=example,dc=org", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(uid="+user+")", []string{"dn"}, nil)
	conn.Search(req)
	byFilter(conn, "(cn="+user+")")
	// ok: go-taint-ldap-injection
	safe := ldap.NewSearchRequest("dc=example,dc=org", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(uid="+ldap.EscapeFilter(user)+")", []string{"dn"}, nil)
	conn.Search(safe)
	// ok: go-taint-ldap-injection
	conn.Search(ldap.NewSearchRequest("dc=example,dc=org", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=person)", []string{"dn"}, nil))
}
