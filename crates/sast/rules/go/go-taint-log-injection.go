package main

import (
	"log"
	"net/http"
	"strconv"
)

func audit(user string) {
	// ruleid: go-taint-log-injection
	log.Printf("login attempt for %s", user)
}

func login(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	// ruleid: go-taint-log-injection
	log.Println("failed login for " + user)
	audit(user)
	// ok: go-taint-log-injection
	log.Printf("failed login for %s", strconv.Quote(user))
	// ok: go-taint-log-injection
	log.Println("login form submitted")
}
