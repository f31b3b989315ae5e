package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

const root = "/srv/files/"

func handler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	// ruleid: go-path-traversal-request
	os.ReadFile(root + name)
	// ruleid: go-path-traversal-request
	http.ServeFile(w, r, filepath.Join(root, name))
	// ok: go-path-traversal-request
	os.ReadFile(filepath.Join(root, filepath.Base(name)))
	p := filepath.Clean(filepath.Join(root, name))
	if !strings.HasPrefix(p, root) {
		http.Error(w, "bad path", 400)
		return
	}
	// ok: go-path-traversal-request
	os.Open(p)
}
