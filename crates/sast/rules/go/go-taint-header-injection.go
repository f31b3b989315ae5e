package main

import (
	"net/http"
	"net/url"
)

func download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go-taint-header-injection
	w.Header().Set("Content-Disposition", "attachment; filename="+name)
	// ruleid: go-taint-header-injection
	w.Header().Add("X-Requested", name)
	// ok: go-taint-header-injection
	w.Header().Set("Content-Disposition", "attachment; filename="+url.QueryEscape(name))
	// ok: go-taint-header-injection
	w.Header().Set("X-Frame-Options", "DENY")
}
