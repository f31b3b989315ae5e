package main

import "net/http"

func h(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-cors-any-origin
	w.Header().Set("Access-Control-Allow-Origin", "*")
	// ok: go-cors-any-origin
	w.Header().Set("Access-Control-Allow-Origin", "https://app.example.com")
}

func setup() {
	// ruleid: go-cors-any-origin
	c := cors.Options{AllowedOrigins: []string{"*"}, AllowCredentials: true}
	_ = c
}
