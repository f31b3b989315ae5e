package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
)

const base = "SELECT * FROM users WHERE id = "

func byName(n string) string {
	return "SELECT * FROM users WHERE name = '" + n + "'"
}

func handler(db *sql.DB, w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	// ruleid: go-taint-sqli
	db.Query(base + id)
	q := fmt.Sprintf("SELECT * FROM users WHERE id = %s", id)
	// ruleid: go-taint-sqli
	db.QueryRow(q)
	// ruleid: go-taint-sqli
	db.Exec(byName(r.FormValue("name")))
	// ok: go-taint-sqli
	db.Query("SELECT * FROM users WHERE id = ?", id)
	n, _ := strconv.Atoi(id)
	// ok: go-taint-sqli
	db.Query(base + strconv.Itoa(n))
	s := id
	s = "SELECT 1"
	// ok: go-taint-sqli
	db.Query(s)
}
