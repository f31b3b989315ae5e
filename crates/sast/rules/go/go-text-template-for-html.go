package main

import (
	"net/http"
	"text/template"
)

var page = template.Must(template.New("p").Parse("<p>{{.}}</p>"))

func handler(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-text-template-for-html
	page.Execute(w, r.URL.Query().Get("q"))
	// ok: go-text-template-for-html
	page.Execute(logWriter, "x")
}
