package main

import "math/rand"

func tokens() {
	// ruleid: go-math-rand-for-secrets
	resetToken := rand.Int63()
	// ok: go-math-rand-for-secrets
	jitter := rand.Intn(100)
	_, _ = resetToken, jitter
}
