package main

import "os"

// ruleid: go-hardcoded-secret
const dbPassword = "Pr0d-Passw0rd!"

func cfg() {
	// ruleid: go-hardcoded-secret
	apiKey := "9f8e7d6c5b4a-Prod"
	// ok: go-hardcoded-secret
	clientSecret := os.Getenv("CLIENT_SECRET")
	_, _ = apiKey, clientSecret
}
