package main

import (
	"crypto/md5"
	"crypto/sha256"
)

func sum(b []byte) {
	// ruleid: go-weak-hash-md5
	h := md5.Sum(b)
	// ok: go-weak-hash-md5
	g := sha256.Sum256(b)
	_, _ = h, g
}
