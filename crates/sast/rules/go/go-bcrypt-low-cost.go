package main

import "golang.org/x/crypto/bcrypt"

func hash(pw []byte) {
	// ruleid: go-bcrypt-low-cost
	a, _ := bcrypt.GenerateFromPassword(pw, 4)
	// ok: go-bcrypt-low-cost
	b, _ := bcrypt.GenerateFromPassword(pw, 12)
	_, _ = a, b
}
