package main

import "go.mongodb.org/mongo-driver/bson"

func find(name string) interface{} {
	// ruleid: go-mongo-where-injection
	f := bson.M{"$where": "this.name == '" + name + "'"}
	// ok: go-mongo-where-injection
	g := bson.M{"$where": "this.a > this.b"}
	_ = g
	return f
}
