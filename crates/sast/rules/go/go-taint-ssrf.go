package main

import "net/http"

var backends = map[string]string{"a": "https://a.internal.example", "b": "https://b.internal.example"}

func handler(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	// ruleid: go-taint-ssrf
	http.Get(target)
	// ruleid: go-taint-ssrf
	http.NewRequest("GET", "https://"+r.FormValue("host")+"/status", nil)
	// ok: go-taint-ssrf
	http.Get(backends[r.FormValue("b")])
	// ok: go-taint-ssrf
	http.Get("https://api.example.com/status")
}
