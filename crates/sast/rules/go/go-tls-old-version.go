package main

import "crypto/tls"

func server() {
	// ruleid: go-tls-old-version
	old := &tls.Config{MinVersion: tls.VersionTLS10}
	// ok: go-tls-old-version
	cur := &tls.Config{MinVersion: tls.VersionTLS12}
	_, _ = old, cur
}
