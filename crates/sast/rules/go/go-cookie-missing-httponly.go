package main

import "net/http"

func login(w http.ResponseWriter, sid string) {
	// ruleid: go-cookie-missing-httponly
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Secure: true})
	// ok: go-cookie-missing-httponly
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Secure: true, HttpOnly: true})
}
