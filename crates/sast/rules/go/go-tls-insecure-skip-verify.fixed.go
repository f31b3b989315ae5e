package main

import "crypto/tls"

func client() {
	// ruleid: go-tls-insecure-skip-verify
	cfg := &tls.Config{InsecureSkipVerify: false}
	// ok: go-tls-insecure-skip-verify
	safe := &tls.Config{MinVersion: tls.VersionTLS12}
	_, _ = cfg, safe
}
