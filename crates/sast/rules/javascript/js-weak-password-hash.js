function store(user, password) {
  // ruleid: js-weak-password-hash
  user.hash = crypto.createHash("sha256").update(password).digest("hex");
}
async function store2(user, password) {
  // ok: js-weak-password-hash
  user.hash = await bcrypt.hash(password, 12);
}
