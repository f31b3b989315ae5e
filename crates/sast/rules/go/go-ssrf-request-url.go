package main

import "net/http"

var backends = map[string]string{"a": "https://a.internal.example", "b": "https://b.internal.example"}

func handler(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	// ruleid: go-ssrf-request-url
	http.Get(target)
	// ruleid: go-ssrf-request-url
	http.NewRequest("GET", "https://"+r.FormValue("host")+"/status", nil)
	// ok: go-ssrf-request-url
	http.Get(backends[r.FormValue("b")])
	// ok: go-ssrf-request-url
	http.Get("https://api.example.com/status")
}
