package main

import (
	"archive/zip"
	"path/filepath"
	"strings"
)

func unzip(r *zip.Reader, dest string) {
	for _, f := range r.File {
		// ruleid: go-zip-slip
		path := filepath.Join(dest, f.Name)
		write(path, f)
	}
}

func unzipSafe(r *zip.Reader, dest string) {
	for _, f := range r.File {
		// ok: go-zip-slip
		path := filepath.Join(dest, f.Name)
		if !strings.HasPrefix(path, filepath.Clean(dest)+"/") {
			continue
		}
		write(path, f)
	}
}
