package main

import "crypto/sha256"

func store(password string) [32]byte {
	// ruleid: go-weak-password-hash
	return sha256.Sum256([]byte(password))
}

func checksum(data []byte) [32]byte {
	// ok: go-weak-password-hash
	return sha256.Sum256(data)
}
