package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
)

const base = "SELECT * FROM users WHERE id = "

var columns = map[string]string{"a": "name", "b": "email"}

func build(v string) string {
	return base + v
}

func run(db *sql.DB, q string) {
	db.Query(q) // bad
}

func handler(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	db.Query("SELECT * FROM t WHERE id = " + id) // bad
	q := fmt.Sprintf("SELECT * FROM t WHERE id = %s", id)
	db.Query(q) // bad
	db.Query(build(id)) // bad
	n, _ := strconv.Atoi(id)
	db.Query(base + strconv.Itoa(n)) // ok
	db.Query(base + columns[r.FormValue("c")]) // ok
	db.Query("SELECT * FROM t WHERE id = ?", id) // ok
	s := id
	s = "constant"
	db.Query(s) // ok
	run(db, r.FormValue("x"))
}
