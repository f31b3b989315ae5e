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

type holder struct {
	tainted string
	safe    string
}

func handler(w http.ResponseWriter, r *http.Request) {
	h := holder{}
	h.tainted = r.URL.Query().Get("p")
	h.safe = "constant"
	fmt.Fprintf(w, "<p>%s</p>", h.safe)
}
