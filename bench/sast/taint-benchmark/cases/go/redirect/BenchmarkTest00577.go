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
	m["key"] = r.URL.Query().Get("p")
	http.Redirect(w, r, m["key"], http.StatusFound)
}
