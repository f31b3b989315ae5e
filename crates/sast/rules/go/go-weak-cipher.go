package main

import (
	"crypto/aes"
	"crypto/des"
	"crypto/rc4"
)

func ciphers(key []byte) {
	// ruleid: go-weak-cipher
	a, _ := des.NewTripleDESCipher(key)
	// ruleid: go-weak-cipher
	b, _ := rc4.NewCipher(key)
	// ok: go-weak-cipher
	c, _ := aes.NewCipher(key)
	_, _, _ = a, b, c
}
