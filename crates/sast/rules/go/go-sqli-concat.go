package main

import "database/sql"

func find(db *sql.DB, name string) {
	// ruleid: go-sqli-concat
	db.Query("SELECT * FROM users WHERE name = '" + name + "'")
	// ok: go-sqli-concat
	db.Query("SELECT * FROM users WHERE name = $1", name)
}
