package main

import (
	"fmt"

	"github.com/go-ldap/ldap/v3"
)

func find(user string) {
	// ruleid: go-ldap-injection
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, fmt.Sprintf("(uid=%s)", user), nil, nil)
	// ok: go-ldap-injection
	req2 := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, fmt.Sprintf("(uid=%s)", ldap.EscapeFilter(user)), nil, nil)
	_, _ = req, req2
}
