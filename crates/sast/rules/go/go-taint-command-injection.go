package main

import (
	"net/http"
	"os/exec"
)

func run(arg string) {
	// ruleid: go-taint-command-injection
	exec.Command("sh", "-c", "nslookup "+arg).Run()
}

func handler(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	// ruleid: go-taint-command-injection
	exec.Command("ping", "-c", "1", host).Run()
	run(host)
	// ok: go-taint-command-injection
	exec.Command("uptime").Run()
}
