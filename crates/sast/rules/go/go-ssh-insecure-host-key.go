package main

import "golang.org/x/crypto/ssh"

func cfg(key ssh.PublicKey) {
	// ruleid: go-ssh-insecure-host-key
	a := &ssh.ClientConfig{User: "deploy", HostKeyCallback: ssh.InsecureIgnoreHostKey()}
	// ok: go-ssh-insecure-host-key
	b := &ssh.ClientConfig{User: "deploy", HostKeyCallback: ssh.FixedHostKey(key)}
	_, _ = a, b
}
