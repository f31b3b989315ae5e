async function find(db, id) {
  // ruleid: js-sqli-template-literal
  await db.query(`SELECT * FROM users WHERE id = ${id}`);
  // ruleid: js-sqli-template-literal
  await sequelize.query(`DELETE FROM t WHERE name = '${req.body.name}'`);
  // ok: js-sqli-template-literal
  await db.query("SELECT * FROM users WHERE id = ?", [id]);
  // ok: js-sqli-template-literal
  await db.query(`SELECT * FROM users`);
}
