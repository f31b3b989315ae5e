package main

import (
	"fmt"
	"html/template"
)

func badge(name string) template.HTML {
	// ruleid: go-template-html-sprintf
	return template.HTML(fmt.Sprintf("<b>%s</b>", name))
}

func plain(name string) string {
	// ok: go-template-html-sprintf
	return fmt.Sprintf("<b>%s</b>", name)
}
