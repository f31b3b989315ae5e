#!/usr/bin/env python3
"""Generates the taint benchmark: one small program per case, in the style of the OWASP
Benchmark, for Python (Flask), JavaScript (Express), Java (Servlet API) and Go (net/http).

Every (language, category) gets true cases (request data really reaches the sink, through
assignments, string building, helpers, collections, fields, loops, methods...) and false cases
written to fool a pattern matcher (the same sink with the same shape of code, but the value is a
constant again, sanitised, read from a constant table, dead behind a constant condition, read
from another key or field, or ignored by a helper). The labels go to expectedresults.csv:
`test name, language, category, real vulnerability, cwe, variant`.

    python3 bench/sast/taint-benchmark/generate.py   # rewrites cases/ and expectedresults.csv

The output is deterministic; the generated files are committed so the benchmark can be read
and run without this script.
"""

import csv
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")

# ---------------------------------------------------------------------------------------------
# Python (Flask)

PY_HEAD = """from flask import Flask, request, redirect, make_response, url_for
import ast
import html
import os
import shlex
import sqlite3
import subprocess

import requests
from lxml import etree

app = Flask(__name__)
conn = sqlite3.connect("app.db")
tree = etree.parse("users.xml")
"""

PY = {
    "src": 'request.args.get("p", "")',
    "sinks": {
        "sqli": (89, lambda e: f"conn.cursor().execute(\"SELECT * FROM users WHERE name = '\" + {e} + \"'\")"),
        "cmdi": (78, lambda e: f'os.system("ping -c 1 " + {e})'),
        "pathtraver": (22, lambda e: f'open("/srv/data/" + {e}).read()'),
        "xss": (79, lambda e: f'make_response("<p>" + {e} + "</p>")'),
        "ssrf": (918, lambda e: f"requests.get({e}, timeout=5)"),
        "codeinj": (95, lambda e: f"eval({e})"),
        "redirect": (601, lambda e: f"redirect({e})"),
        "xpathi": (643, lambda e: f"tree.xpath(\"//user[@name='\" + {e} + \"']\")"),
    },
    "sanitize": {
        "sqli": lambda e: f"str(int({e}))",
        "cmdi": lambda e: f"shlex.quote({e})",
        "pathtraver": lambda e: f"os.path.basename({e})",
        "xss": lambda e: f"html.escape({e})",
        "ssrf": None,
        "codeinj": lambda e: f"str(int({e}))",
        "redirect": lambda e: f'url_for("index", q={e})',
        "xpathi": None,
    },
    "allow": {"sqli", "cmdi", "pathtraver", "ssrf", "redirect"},
}


def py_case(cat, variant):
    """(helpers, body lines, vulnerable) for one Python case."""
    src = PY["src"]
    sink = PY["sinks"][cat][1]
    san = PY["sanitize"][cat]
    helpers, body = "", []
    t = True
    if variant == "direct":
        body = [f"value = {src}", sink("value")]
    elif variant == "concat":
        body = [f"value = {src}", 'text = "" + value + ""', sink("text")]
    elif variant == "format":
        body = [f"value = {src}", 'text = f"{value}"', sink("text")]
    elif variant == "helper-return":
        helpers = "def build(v):\n    return v.strip()\n"
        body = [f"value = {src}", sink("build(value)")]
    elif variant == "helper-sink":
        helpers = f"def run(v):\n    return {sink('v')}\n"
        body = [f"value = {src}", "run(value)"]
    elif variant == "list-element":
        body = ["items = []", f"items.append({src})", sink("items[0]")]
    elif variant == "dict-value":
        body = [f'd = {{"key": {src}}}', sink('d["key"]')]
    elif variant == "field":
        helpers = "class Holder:\n    pass\n"
        body = ["h = Holder()", f"h.value = {src}", sink("h.value")]
    elif variant == "loop":
        body = [f'for part in {src}.split(","):', "    " + sink("part")]
    elif variant == "one-branch-sanitised" and san:
        body = [f"value = {src}", "if len(value) > 3:", f"    value = {san('value')}", sink("value")]
    elif variant == "method":
        helpers = f"class Service:\n    def handle(self, v):\n        return self.send(v)\n\n    def send(self, v):\n        return {sink('v')}\n"
        body = [f"Service().handle({src})"]
    elif variant == "closure":
        body = [f"value = {src}", "def inner():", f"    return {sink('value')}", "inner()"]
    elif variant == "const-true-branch":
        body = [f"value = {src}", 'chosen = value if 7 * 42 - 86 > 200 else "safe"', sink("chosen")]
    elif variant == "field-across-methods":
        helpers = f"class Job:\n    def __init__(self, v):\n        self.v = v\n\n    def run(self):\n        return {sink('self.v')}\n"
        body = [f"Job({src}).run()"]
    # ---- false cases
    elif variant == "regex-validated":
        t = False
        helpers = "import re\n"
        body = [f"value = {src}", 'if re.fullmatch(r"[a-z0-9]+", value):', "    " + sink("value")]
    elif variant == "reassigned-constant":
        t = False
        body = [f"value = {src}", 'value = "constant"', sink("value")]
    elif variant == "sanitised" and san:
        t = False
        body = [f"value = {src}", sink(san("value"))]
    elif variant == "constant-table":
        t = False
        helpers = 'TABLE = {"a": "alpha", "b": "beta"}\n'
        body = [f"value = TABLE.get({src}, \"alpha\")", sink("value")]
    elif variant == "dead-branch":
        t = False
        body = [f"value = {src}", 'chosen = "safe" if 7 * 42 - 86 > 200 else value', sink("chosen")]
    elif variant == "other-key":
        t = False
        body = [f'd = {{"safe": "constant", "tainted": {src}}}', sink('d["safe"]')]
    elif variant == "other-field":
        t = False
        helpers = "class Holder:\n    pass\n"
        body = ["h = Holder()", f"h.tainted = {src}", 'h.safe = "constant"', sink("h.safe")]
    elif variant == "helper-ignores-arg":
        t = False
        helpers = 'def build(v):\n    return "constant"\n'
        body = [f"value = {src}", sink("build(value)")]
    elif variant == "allow-list" and cat in PY["allow"]:
        t = False
        body = [f"value = {src}", 'if value in ("alpha", "beta"):', "    " + sink("value")]
    elif variant == "list-other-index":
        t = False
        body = ["items = []", 'items.append("constant")', f"items.append({src})", sink("items[0]")]
    else:
        return None
    lines = "\n".join("    " + ln for ln in body)
    code = PY_HEAD + ("\n\n" + helpers if helpers else "") + f'\n\n@app.route("/case")\ndef case():\n{lines}\n    return "done"\n'
    return code, t


# ---------------------------------------------------------------------------------------------
# JavaScript (Express)

JS_HEAD = """const express = require('express');
const fs = require('fs');
const path = require('path');
const axios = require('axios');
const escapeHtml = require('escape-html');
const { exec } = require('child_process');
const mysql = require('mysql');

const app = express();
const db = mysql.createConnection({ host: 'localhost' });
"""

JS = {
    "src": "req.query.p",
    "sinks": {
        "sqli": (89, lambda e: f"db.query(\"SELECT * FROM users WHERE name = '\" + {e} + \"'\");"),
        "cmdi": (78, lambda e: f"exec('ping -c 1 ' + {e});"),
        "pathtraver": (22, lambda e: f"fs.readFileSync('/srv/data/' + {e});"),
        "xss": (79, lambda e: f"res.send('<p>' + {e} + '</p>');"),
        "ssrf": (918, lambda e: f"axios.get({e});"),
        "codeinj": (95, lambda e: f"eval({e});"),
        "redirect": (601, lambda e: f"res.redirect({e});"),
    },
    "sanitize": {
        "sqli": lambda e: f"parseInt({e}, 10)",
        "cmdi": lambda e: f"parseInt({e}, 10)",
        "pathtraver": lambda e: f"path.basename({e})",
        "xss": lambda e: f"escapeHtml({e})",
        "ssrf": lambda e: f"'https://api.example.com/?q=' + encodeURIComponent({e})",
        "codeinj": lambda e: f"JSON.parse({e})",
        "redirect": lambda e: f"'/search?q=' + encodeURIComponent({e})",
    },
}


def js_case(cat, variant):
    src = JS["src"]
    sink = JS["sinks"][cat][1]
    san = JS["sanitize"][cat]
    helpers, body = "", []
    t = True
    needs_res = cat in ("xss", "redirect")
    if variant == "direct":
        body = [f"const value = {src};", sink("value")]
    elif variant == "concat":
        body = [f"const value = {src};", "const text = '' + value + '';", sink("text")]
    elif variant == "format":
        body = [f"const value = {src};", "const text = `${value}`;", sink("text")]
    elif variant == "helper-return":
        helpers = "function build(v) {\n  return v.trim();\n}\n"
        body = [f"const value = {src};", sink("build(value)")]
    elif variant == "helper-sink":
        if needs_res:
            helpers = f"function run(res, v) {{\n  {sink('v')}\n}}\n"
            body = [f"const value = {src};", "run(res, value);"]
        else:
            helpers = f"function run(v) {{\n  {sink('v')}\n}}\n"
            body = [f"const value = {src};", "run(value);"]
    elif variant == "list-element":
        body = ["const items = [];", f"items.push({src});", sink("items[0]")]
    elif variant == "dict-value":
        body = [f"const d = {{ key: {src} }};", sink("d.key")]
    elif variant == "destructuring":
        body = ["const { p } = req.query;", sink("p")]
    elif variant == "loop":
        body = [f"for (const part of {src}.split(',')) {{", "  " + sink("part"), "}"]
    elif variant == "one-branch-sanitised":
        body = [f"let value = {src};", "if (value.length > 3) {", f"  value = {san('value')};", "}", sink("value")]
    elif variant == "closure":
        body = [f"const value = {src};", f"const inner = () => {{ {sink('value')} }};", "inner();"]
    elif variant == "const-true-branch":
        body = [f"const value = {src};", "const chosen = 7 * 42 - 86 > 200 ? value : 'safe';", sink("chosen")]
    elif variant == "regex-validated":
        t = False
        body = [f"const value = {src};", "if (/^[a-z0-9]+$/.test(value)) {", "  " + sink("value"), "}"]
    elif variant == "reassigned-constant":
        t = False
        body = [f"let value = {src};", "value = 'constant';", sink("value")]
    elif variant == "sanitised":
        t = False
        body = [f"const value = {src};", sink(san("value"))]
    elif variant == "constant-table":
        t = False
        helpers = "const TABLE = { a: 'alpha', b: 'beta' };\n"
        body = [f"const value = TABLE[{src}];", sink("value")]
    elif variant == "dead-branch":
        t = False
        body = [f"const value = {src};", "const chosen = 7 * 42 - 86 > 200 ? 'safe' : value;", sink("chosen")]
    elif variant == "other-key":
        t = False
        body = [f"const d = {{ safe: 'constant', tainted: {src} }};", sink("d.safe")]
    elif variant == "helper-ignores-arg":
        t = False
        helpers = "function build(v) {\n  return 'constant';\n}\n"
        body = [f"const value = {src};", sink("build(value)")]
    elif variant == "list-other-index":
        t = False
        body = ["const items = ['constant'];", f"items.push({src});", sink("items[0]")]
    else:
        return None
    lines = "\n".join("  " + ln for ln in body)
    code = JS_HEAD + ("\n" + helpers if helpers else "") + f"\napp.get('/case', (req, res) => {{\n{lines}\n}});\n"
    return code, t


# ---------------------------------------------------------------------------------------------
# Java (Servlet API)

JAVA_HEAD = """import java.io.*;
import java.sql.*;
import java.util.*;
import javax.naming.directory.*;
import javax.servlet.ServletException;
import javax.servlet.http.*;
import javax.xml.xpath.*;
import org.apache.commons.io.FilenameUtils;
import org.owasp.encoder.Encode;
import org.springframework.ldap.support.LdapEncoder;
"""

JAVA = {
    "src": 'request.getParameter("p")',
    "sinks": {
        "sqli": (89, lambda e: f"conn.createStatement().executeQuery(\"SELECT * FROM users WHERE name = '\" + {e} + \"'\");"),
        "cmdi": (78, lambda e: f'Runtime.getRuntime().exec("ping -c 1 " + {e});'),
        "pathtraver": (22, lambda e: f'File file = new File("/srv/data/" + {e});'),
        "xss": (79, lambda e: f'response.getWriter().println("<p>" + {e} + "</p>");'),
        "ldapi": (90, lambda e: f'ctx.search("ou=users,dc=example,dc=com", "(uid=" + {e} + ")", new SearchControls());'),
        "xpathi": (643, lambda e: f"xp.evaluate(\"/users/user[@name='\" + {e} + \"']\", doc);"),
        "trustbound": (501, lambda e: f'request.getSession().setAttribute("user", {e});'),
    },
    "sanitize": {
        "sqli": lambda e: f"String.valueOf(Integer.parseInt({e}))",
        "cmdi": lambda e: f"String.valueOf(Integer.parseInt({e}))",
        "pathtraver": lambda e: f"FilenameUtils.getName({e})",
        "xss": lambda e: f"Encode.forHtml({e})",
        "ldapi": lambda e: f"LdapEncoder.filterEncode({e})",
        "xpathi": lambda e: f"String.valueOf(Integer.parseInt({e}))",
        "trustbound": lambda e: f"String.valueOf(Integer.parseInt({e}))",
    },
}

JAVA_FIELDS = """    private Connection conn;
    private DirContext ctx;
    private XPath xp;
    private Object doc;
"""


def java_case(cat, variant, name):
    src = JAVA["src"]
    sink = JAVA["sinks"][cat][1]
    san = JAVA["sanitize"][cat]
    helpers, body = "", []
    t = True
    helper_params = "HttpServletRequest request, HttpServletResponse response, "
    helper_args = "request, response, "
    if variant == "direct":
        body = [f"String value = {src};", sink("value")]
    elif variant == "concat":
        body = [f"String value = {src};", 'String text = "" + value + "";', sink("text")]
    elif variant == "format":
        body = [f"String value = {src};", 'String text = String.format("%s", value);', sink("text")]
    elif variant == "helper-return":
        helpers = "    private String build(String v) {\n        return v.trim();\n    }\n"
        body = [f"String value = {src};", sink("build(value)")]
    elif variant == "helper-sink":
        helpers = f"    private void run({helper_params}String v) throws Exception {{\n        {sink('v')}\n    }}\n"
        body = [f"String value = {src};", f"run({helper_args}value);"]
    elif variant == "list-element":
        body = ["List<String> items = new ArrayList<>();", f"items.add({src});", sink("items.get(0)")]
    elif variant == "map-value":
        body = ["Map<String, String> m = new HashMap<>();", f'm.put("key", {src});', sink('m.get("key")')]
    elif variant == "string-builder":
        body = ["StringBuilder sb = new StringBuilder();", f"sb.append({src});", sink("sb.toString()")]
    elif variant == "loop":
        body = [f'for (String part : {src}.split(",")) {{', "    " + sink("part"), "}"]
    elif variant == "one-branch-sanitised":
        body = [f"String value = {src};", "if (value.length() > 3) {", f"    value = {san('value')};", "}", sink("value")]
    elif variant == "const-true-branch":
        body = [f"String value = {src};", 'String chosen = (7 * 42) - 86 > 200 ? value : "safe";', sink("chosen")]
    elif variant == "array":
        body = [f"String[] values = {{ {src} }};", sink("values[0]")]
    elif variant == "field-across-methods":
        helpers = f"    private String stored;\n\n    private void keep(String v) {{\n        this.stored = v;\n    }}\n\n    private void use(HttpServletRequest request, HttpServletResponse response) throws Exception {{\n        {sink('this.stored')}\n    }}\n"
        body = [f"keep({src});", "use(request, response);"]
    elif variant == "regex-validated":
        t = False
        body = [f"String value = {src};", 'if (value.matches("[a-z0-9]+")) {', "    " + sink("value"), "}"]
    elif variant == "reassigned-constant":
        t = False
        body = [f"String value = {src};", 'value = "constant";', sink("value")]
    elif variant == "sanitised":
        t = False
        body = [f"String value = {src};", sink(san("value"))]
    elif variant == "map-other-key":
        t = False
        body = ["Map<String, String> m = new HashMap<>();", 'm.put("safe", "constant");', f'm.put("tainted", {src});', sink('m.get("safe")')]
    elif variant == "dead-branch":
        t = False
        body = [f"String value = {src};", 'String chosen = (7 * 42) - 86 > 200 ? "safe" : value;', sink("chosen")]
    elif variant == "helper-ignores-arg":
        t = False
        helpers = '    private String build(String v) {\n        return "constant";\n    }\n'
        body = [f"String value = {src};", sink("build(value)")]
    elif variant == "constant-string-switch":
        t = False
        body = [f"String value = {src};", 'String guess = "ABC";', 'String chosen = guess.equals("ABC") ? "safe" : value;', sink("chosen")]
    elif variant == "list-other-index":
        t = False
        body = ["List<String> items = new ArrayList<>();", 'items.add("constant");', f"items.add({src});", sink("items.get(0)")]
    else:
        return None
    lines = "\n".join("            " + ln for ln in body)
    code = (
        JAVA_HEAD
        + f"\npublic class {name} extends HttpServlet {{\n"
        + JAVA_FIELDS
        + ("\n" + helpers if helpers else "")
        + "\n    @Override\n    protected void doPost(HttpServletRequest request, HttpServletResponse response)\n"
        + "            throws ServletException, IOException {\n        try {\n"
        + lines
        + "\n        } catch (Exception e) {\n            throw new ServletException(e);\n        }\n    }\n}\n"
    )
    return code, t


# ---------------------------------------------------------------------------------------------
# Go (net/http)

GO_HEAD = """package main

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
"""

GO = {
    "src": 'r.URL.Query().Get("p")',
    "sinks": {
        "sqli": (89, lambda e: f"db.Query(\"SELECT * FROM users WHERE name = '\" + {e} + \"'\")"),
        "cmdi": (78, lambda e: f'exec.Command({e}, "--version").Run()'),
        "pathtraver": (22, lambda e: f'os.ReadFile("/srv/data/" + {e})'),
        "xss": (79, lambda e: f'fmt.Fprintf(w, "<p>%s</p>", {e})'),
        "ssrf": (918, lambda e: f"http.Get({e})"),
        "redirect": (601, lambda e: f"http.Redirect(w, r, {e}, http.StatusFound)"),
    },
    "sanitize": {
        "sqli": lambda e: ([f"n, _ := strconv.Atoi({e})"], "strconv.Itoa(n)"),
        "cmdi": lambda e: ([f"n, _ := strconv.Atoi({e})"], '"/usr/bin/tool" + strconv.Itoa(n)'),
        "pathtraver": lambda e: ([], f"filepath.Base({e})"),
        "xss": lambda e: ([], f"html.EscapeString({e})"),
        "ssrf": None,
        "redirect": None,
    },
}


def go_case(cat, variant):
    src = GO["src"]
    sink = GO["sinks"][cat][1]
    san = GO["sanitize"][cat]
    helpers, body = "", []
    t = True
    if variant == "direct":
        body = [f"value := {src}", sink("value")]
    elif variant == "concat":
        body = [f"value := {src}", 'text := "" + value + ""', sink("text")]
    elif variant == "format":
        body = [f"value := {src}", 'text := fmt.Sprintf("%s", value)', sink("text")]
    elif variant == "helper-return":
        helpers = "func build(v string) string {\n\treturn strings.TrimSpace(v)\n}\n"
        body = [f"value := {src}", sink("build(value)")]
    elif variant == "helper-sink":
        helpers = f"func run(w http.ResponseWriter, r *http.Request, v string) {{\n\t{sink('v')}\n}}\n"
        body = [f"value := {src}", "run(w, r, value)"]
    elif variant == "list-element":
        body = ["items := []string{}", f"items = append(items, {src})", sink("items[0]")]
    elif variant == "map-value":
        body = ["m := map[string]string{}", f'm["key"] = {src}', sink('m["key"]')]
    elif variant == "field":
        helpers = "type holder struct {\n\tvalue string\n}\n"
        body = ["h := holder{}", f"h.value = {src}", sink("h.value")]
    elif variant == "loop":
        body = [f'for _, part := range strings.Split({src}, ",") {{', "\t" + sink("part"), "}"]
    elif variant == "one-branch-sanitised" and san:
        pre, ex = san("value")
        body = [f"value := {src}", "if len(value) > 3 {"] + ["\t" + p for p in pre] + [f"\tvalue = {ex}", "}", sink("value")]
    elif variant == "closure":
        body = [f"value := {src}", f"inner := func() {{\n\t\t{sink('value')}\n\t}}", "inner()"]
    elif variant == "reassigned-constant":
        t = False
        body = [f"value := {src}", 'value = "constant"', sink("value")]
    elif variant == "sanitised" and san:
        t = False
        pre, ex = san("value")
        body = [f"value := {src}"] + pre + [sink(ex)]
    elif variant == "constant-table":
        t = False
        helpers = 'var table = map[string]string{"a": "alpha", "b": "beta"}\n'
        body = [f"value := table[{src}]", sink("value")]
    elif variant == "other-key":
        t = False
        body = ["m := map[string]string{}", 'm["safe"] = "constant"', f'm["tainted"] = {src}', sink('m["safe"]')]
    elif variant == "other-field":
        t = False
        helpers = "type holder struct {\n\ttainted string\n\tsafe    string\n}\n"
        body = ["h := holder{}", f"h.tainted = {src}", 'h.safe = "constant"', sink("h.safe")]
    elif variant == "helper-ignores-arg":
        t = False
        helpers = 'func build(v string) string {\n\treturn "constant"\n}\n'
        body = [f"value := {src}", sink("build(value)")]
    elif variant == "dead-branch":
        t = False
        body = [f"value := {src}", 'chosen := "safe"', "if 7*42-86 < 200 {", "\tchosen = value", "}", sink("chosen")]
    elif variant == "list-other-index":
        t = False
        body = ['items := []string{"constant"}', f"items = append(items, {src})", sink("items[0]")]
    elif variant == "regex-validated":
        t = False
        body = [f"value := {src}", 'if regexp.MustCompile("^[a-z0-9]+$").MatchString(value) {', "\t" + sink("value"), "}"]
    else:
        return None
    lines = "\n".join("\t" + ln for ln in body)
    code = GO_HEAD + ("\n" + helpers if helpers else "") + f"\nfunc handler(w http.ResponseWriter, r *http.Request) {{\n{lines}\n}}\n"
    return code, t


TRUE_VARIANTS = [
    "direct", "concat", "format", "helper-return", "helper-sink", "list-element", "dict-value",
    "map-value", "field", "string-builder", "destructuring", "loop", "one-branch-sanitised",
    "method", "closure", "const-true-branch", "array", "field-across-methods",
]
FALSE_VARIANTS = [
    "reassigned-constant", "sanitised", "constant-table", "dead-branch", "other-key",
    "map-other-key", "other-field", "helper-ignores-arg", "allow-list", "constant-string-switch",
    "list-other-index", "regex-validated",
]


def main():
    if os.path.isdir(CASES):
        shutil.rmtree(CASES)
    rows = []
    n = 0
    for lang, ext, spec, make in [
        ("python", "py", PY, py_case),
        ("javascript", "js", JS, js_case),
        ("java", "java", JAVA, java_case),
        ("go", "go", GO, go_case),
    ]:
        for cat, (cwe, _) in spec["sinks"].items():
            for variant in TRUE_VARIANTS + FALSE_VARIANTS:
                name = f"BenchmarkTest{n + 1:05d}"
                out = make(cat, variant, name) if lang == "java" else make(cat, variant)
                if out is None:
                    continue
                code, vulnerable = out
                n += 1
                d = os.path.join(CASES, lang, cat)
                os.makedirs(d, exist_ok=True)
                with open(os.path.join(d, f"{name}.{ext}"), "w") as fh:
                    fh.write(code)
                rows.append([name, lang, cat, "true" if vulnerable else "false", cwe, variant])
    with open(os.path.join(HERE, "expectedresults.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["# test name", "language", "category", "real vulnerability", "cwe", "variant"])
        w.writerows(rows)
    print(f"{n} cases")


if __name__ == "__main__":
    main()
