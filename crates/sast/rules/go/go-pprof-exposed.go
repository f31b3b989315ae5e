package main

import (
	"net/http"
	// ruleid: go-pprof-exposed
	_ "net/http/pprof"
	// ok: go-pprof-exposed
	_ "embed"
)

func main() {
	http.ListenAndServe(":8080", nil)
}
