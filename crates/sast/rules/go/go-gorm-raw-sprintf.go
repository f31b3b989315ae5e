package main

import "fmt"

func list(db *gorm.DB, name string) {
	var users []User
	// ruleid: go-gorm-raw-sprintf
	db.Where(fmt.Sprintf("name = '%s'", name)).Find(&users)
	// ok: go-gorm-raw-sprintf
	db.Where("name = ?", name).Find(&users)
}
