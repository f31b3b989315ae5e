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

func handler(w http.ResponseWriter, r *http.Request) {
	m := map[string]string{}
	m["safe"] = "constant"
	m["tainted"] = r.URL.Query().Get("p")
	exec.Command(m["safe"], "--version").Run()
}
