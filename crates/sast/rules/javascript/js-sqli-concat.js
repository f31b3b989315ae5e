function find(connection, name, order) {
  // ruleid: js-sqli-concat
  connection.query("SELECT * FROM users WHERE name = '" + name + "'");
  // ruleid: js-sqli-concat
  connection.query(base + " ORDER BY " + order, cb);
  // ok: js-sqli-concat
  connection.query("SELECT * FROM users WHERE name = ?", [name]);
}
