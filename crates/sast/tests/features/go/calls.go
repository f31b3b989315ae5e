package main

import (
	"crypto/md5"
	"crypto/tls"
	hash "crypto/md5"
	"fmt"
	"os/exec"
)

func main() {
	// ruleid: tls-skip-verify
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}
	// ok: tls-skip-verify
	safe := &tls.Config{MinVersion: tls.VersionTLS12}
	// ruleid: md5-new
	h := md5.New()
	// ruleid: md5-new
	h2 := hash.New()
	// ruleid: sprintf-query
	rows, err := db.Query(fmt.Sprintf("SELECT * FROM t WHERE id = %s", id))
	// ok: sprintf-query
	rows2, err2 := db.Query("SELECT * FROM t WHERE id = $1", id)
	// ruleid: exec-command
	exec.Command("ls", "-l", dir)
	_, _, _, _, _, _, _ = cfg, safe, h, h2, rows, err, rows2
	_ = err2
}
