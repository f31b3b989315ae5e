// ruleid: cors-any
app.use(cors({ credentials: true, origin: "*" }));
// ok: cors-any
app.use(cors({ origin: "https://example.com" }));
// ruleid: inner-html
document.getElementById("x").innerHTML = location.hash;
// ok: inner-html
document.getElementById("x").textContent = location.hash;
// ruleid: template-sql
db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);
// ok: template-sql
db.query("SELECT * FROM users WHERE id = ?", [req.params.id]);

function View(props) {
  // ruleid: jsx-dangerous
  const a = <div className="x" dangerouslySetInnerHTML={{ __html: props.html }} />;
  // ok: jsx-dangerous
  const b = <div className="x">{props.text}</div>;
  return [a, b];
}
