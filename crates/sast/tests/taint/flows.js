const express = require('express');
const app = express();
const TABLE = { a: 'users', b: 'orders' };

function build(v) {
  return 'SELECT * FROM t WHERE id = ' + v;
}

function runQuery(conn, q) {
  conn.query(q); // bad: reached from the handler below
}

app.get('/a', (req, res) => {
  const id = req.query.id;
  conn.query('SELECT * FROM t WHERE id = ' + id); // bad
  conn.query(`SELECT * FROM t WHERE id = ${id}`); // bad
  conn.query(build(id)); // bad
  runQuery(conn, req.params.name);
  const n = parseInt(id, 10);
  conn.query('SELECT * FROM t WHERE id = ' + n); // ok
  const { name, age: years } = req.body;
  conn.query(name); // bad
  conn.query('SELECT * FROM ' + TABLE[req.query.t]); // ok
  let s = id;
  s = 'constant';
  conn.query(s); // ok
  const parts = [];
  parts.push(req.query.x);
  conn.query(parts.join(',')); // bad
});

class Repo {
  find(conn, req) {
    const v = req.query.v;
    this.exec(conn, v);
  }
  exec(conn, w) {
    conn.query(w); // bad
  }
}
