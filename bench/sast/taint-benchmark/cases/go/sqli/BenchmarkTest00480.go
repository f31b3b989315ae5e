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
	value string
}

func handler(w http.ResponseWriter, r *http.Request) {
	h := holder{}
	h.value = r.URL.Query().Get("p")
	db.Query("SELECT * FROM users WHERE name = '" + h.value + "'")
}
