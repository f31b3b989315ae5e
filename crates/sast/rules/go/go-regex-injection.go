package main

import (
	"net/http"
	"regexp"
)

func search(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-regex-injection
	re := regexp.MustCompile(r.URL.Query().Get("q"))
	// ok: go-regex-injection
	re2 := regexp.MustCompile(regexp.QuoteMeta(r.URL.Query().Get("q")))
	_, _ = re, re2
}
