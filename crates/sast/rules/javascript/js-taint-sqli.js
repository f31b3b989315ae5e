const express = require('express');
const app = express();
const SORTS = { name: 'name', date: 'created_at' };

function byId(id) {
  return 'SELECT * FROM users WHERE id = ' + id;
}

app.get('/users', (req, res) => {
  const id = req.query.id;
  // ruleid: js-taint-sqli
  db.query('SELECT * FROM users WHERE id = ' + id);
  // ruleid: js-taint-sqli
  db.query(`SELECT * FROM users WHERE id = ${id}`);
  // ruleid: js-taint-sqli
  pool.query(byId(req.params.id));
  // ok: js-taint-sqli
  db.query('SELECT * FROM users WHERE id = ?', [id]);
  // ok: js-taint-sqli
  db.query('SELECT * FROM users WHERE id = ' + parseInt(id, 10));
  // ok: js-taint-sqli
  db.query('SELECT * FROM users ORDER BY ' + SORTS[req.query.sort]);
  let q = id;
  q = 'SELECT 1';
  // ok: js-taint-sqli
  db.query(q);
  const filters = [];
  filters.push(req.body.filter);
  // ruleid: js-taint-sqli
  db.query('SELECT * FROM users WHERE ' + filters.join(' AND '));
});
