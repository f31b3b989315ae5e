package main

import (
	"fmt"
	"html"
	"net/http"
)

func handler(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	// ruleid: go-response-writer-xss
	fmt.Fprintf(w, "<h1>Hello %s</h1>", name)
	// ruleid: go-response-writer-xss
	w.Write([]byte("<p>" + name + "</p>"))
	// ok: go-response-writer-xss
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name))
}
