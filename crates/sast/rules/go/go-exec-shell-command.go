package main

import (
	"fmt"
	"os/exec"
)

func run(host string) {
	// ruleid: go-exec-shell-command
	exec.Command("sh", "-c", fmt.Sprintf("ping -c 1 %s", host)).Run()
	// ruleid: go-exec-shell-command
	exec.Command("bash", "-c", "ls "+host).Run()
	// ok: go-exec-shell-command
	exec.Command("ping", "-c", "1", host).Run()
	// ok: go-exec-shell-command
	exec.Command("sh", "-c", "uptime").Run()
}
