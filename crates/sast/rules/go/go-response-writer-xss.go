package main

import (
	"fmt"
	"html"
	"net/http"
)

func hello(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-response-writer-xss
	fmt.Fprintf(w, "<h1>Hello %s</h1>", r.URL.Query().Get("name"))
	// ruleid: go-response-writer-xss
	w.Write([]byte("<p>" + r.FormValue("msg") + "</p>"))
	// ok: go-response-writer-xss
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(r.URL.Query().Get("name")))
}
