function list(knex, sort, id) {
  // ruleid: js-knex-raw-injection
  knex("users").orderByRaw(`${sort} DESC`);
  // ruleid: js-knex-raw-injection
  knex.raw("select * from users where id = " + id);
  // ok: js-knex-raw-injection
  knex.raw("select * from users where id = ?", [id]);
}
