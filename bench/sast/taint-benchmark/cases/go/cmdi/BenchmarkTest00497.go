package main

import (
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

var db *sql.DB

func run(w http.ResponseWriter, r *http.Request, v string) {
	exec.Command(v, "--version").Run()
}

func handler(w http.ResponseWriter, r *http.Request) {
	value := r.URL.Query().Get("p")
	run(w, r, value)
}
