package main

import "net/http"

func proxy(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-ssrf-request-url
	resp, _ := http.Get(r.URL.Query().Get("url"))
	// ruleid: go-ssrf-request-url
	req, _ := http.NewRequest("GET", "http://"+r.FormValue("host")+"/status", nil)
	// ok: go-ssrf-request-url
	ok, _ := http.Get("https://api.example.com/status")
	_, _, _ = resp, req, ok
}
