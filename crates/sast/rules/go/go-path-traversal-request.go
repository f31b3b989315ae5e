package main

import (
	"net/http"
	"os"
	"path/filepath"
)

func download(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-path-traversal-request
	data, _ := os.ReadFile(filepath.Join("/srv/files", r.URL.Query().Get("name")))
	// ruleid: go-path-traversal-request
	http.ServeFile(w, r, "/srv/files/"+r.FormValue("name"))
	// ok: go-path-traversal-request
	index, _ := os.ReadFile("/srv/files/index.html")
	w.Write(data)
	w.Write(index)
}
