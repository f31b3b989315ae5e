package main

import (
	"net/http"
	"os/exec"
)

func handler(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-exec-request-input
	out, _ := exec.Command("git", "log", r.URL.Query().Get("ref")).Output()
	// ok: go-exec-request-input
	out2, _ := exec.Command("git", "log", "-1").Output()
	w.Write(out)
	w.Write(out2)
}
