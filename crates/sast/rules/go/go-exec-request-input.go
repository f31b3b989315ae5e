package main

import (
	"net/http"
	"os/exec"
)

func run(arg string) {
	// ruleid: go-exec-request-input
	exec.Command("sh", "-c", "nslookup "+arg).Run()
}

func handler(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	// ruleid: go-exec-request-input
	exec.Command("ping", "-c", "1", host).Run()
	run(host)
	// ok: go-exec-request-input
	exec.Command("uptime").Run()
}
