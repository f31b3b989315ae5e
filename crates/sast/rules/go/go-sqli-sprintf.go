package main

import (
	"database/sql"
	"fmt"
)

func find(db *sql.DB, id string) {
	// ruleid: go-sqli-sprintf
	rows, _ := db.Query(fmt.Sprintf("SELECT * FROM users WHERE id = '%s'", id))
	// ruleid: go-sqli-sprintf
	q := fmt.Sprintf("DELETE FROM users WHERE id = %s", id)
	db.Exec(q)
	// ok: go-sqli-sprintf
	rows2, _ := db.Query("SELECT * FROM users WHERE id = $1", id)
	_, _ = rows, rows2
}
