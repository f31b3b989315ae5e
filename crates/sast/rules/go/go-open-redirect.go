package main

import (
	"net/http"
	"strings"
)

func handler(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	// ruleid: go-open-redirect
	http.Redirect(w, r, next, http.StatusFound)
	if strings.HasPrefix(next, "/") {
		// ok: go-open-redirect
		http.Redirect(w, r, next, http.StatusFound)
	}
	// ok: go-open-redirect
	http.Redirect(w, r, "/home", http.StatusFound)
}
