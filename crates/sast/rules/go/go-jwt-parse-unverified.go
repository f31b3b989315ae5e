package main

import "github.com/golang-jwt/jwt/v5"

func claims(tok string) {
	// ruleid: go-jwt-parse-unverified
	t, _, _ := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
	// ok: go-jwt-parse-unverified
	u, _ := jwt.Parse(tok, keyFunc)
	_, _ = t, u
}
