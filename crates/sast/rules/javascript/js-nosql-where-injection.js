function find(users, name) {
  // ruleid: js-nosql-where-injection
  return users.find({ $where: "this.name == '" + name + "'" });
}
function find2(users, age) {
  // ruleid: js-nosql-where-injection
  return users.find({ active: true, "$where": `this.age > ${age}` });
}
// ok: js-nosql-where-injection
users.find({ $where: "this.a > this.b" });
