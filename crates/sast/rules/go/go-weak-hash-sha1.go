package main

import "crypto/sha1"

func sig(b []byte) {
	// ruleid: go-weak-hash-sha1
	h := sha1.New()
	// ok: go-weak-hash-sha1
	n := len(b)
	_, _ = h, n
}
