package main

import (
	"crypto/rand"
	"crypto/rsa"
)

func keys() {
	// ruleid: go-rsa-small-key
	a, _ := rsa.GenerateKey(rand.Reader, 1024)
	// ok: go-rsa-small-key
	b, _ := rsa.GenerateKey(rand.Reader, 3072)
	_, _ = a, b
}
