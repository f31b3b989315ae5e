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

func build(v string) string {
	return strings.TrimSpace(v)
}

func handler(w http.ResponseWriter, r *http.Request) {
	value := r.URL.Query().Get("p")
	db.Query("SELECT * FROM users WHERE name = '" + build(value) + "'")
}
