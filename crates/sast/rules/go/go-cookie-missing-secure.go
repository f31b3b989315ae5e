package main

import "net/http"

func login(w http.ResponseWriter, sid string) {
	// ruleid: go-cookie-missing-secure
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, HttpOnly: true})
	// ok: go-cookie-missing-secure
	http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, HttpOnly: true, Secure: true})
}
