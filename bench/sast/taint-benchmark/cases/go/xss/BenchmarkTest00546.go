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

var table = map[string]string{"a": "alpha", "b": "beta"}

func handler(w http.ResponseWriter, r *http.Request) {
	value := table[r.URL.Query().Get("p")]
	fmt.Fprintf(w, "<p>%s</p>", value)
}
