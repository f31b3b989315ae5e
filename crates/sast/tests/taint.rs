#![allow(clippy::unwrap_used)]
//! Taint mode through the public API: rule loading (and its errors), dataflow in every
//! language on annotated files (`// bad` / `# bad` marks the lines that must be reported, every
//! other line must not be), traces, labels and options.

use std::collections::BTreeSet;
use std::path::PathBuf;

use palisade_core::Finding;
use palisade_sast::{Limits, RuleSet, RuleSource, SastScanner};

fn scanner(yaml: &str) -> SastScanner {
    let (set, errors) = RuleSet::load(
        &[RuleSource {
            name: "test.yaml".into(),
            yaml: yaml.into(),
        }],
        false,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(set.len(), 1);
    SastScanner::new(set, Limits::default())
}

fn load_error(yaml: &str) -> String {
    let (set, errors) = RuleSet::load(
        &[RuleSource {
            name: "test.yaml".into(),
            yaml: yaml.into(),
        }],
        false,
    );
    assert!(set.is_empty(), "the rule should be refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].to_string()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/taint")
            .join(name),
    )
    .unwrap()
}

/// Scans a fixture and checks the reported lines are exactly those marked `bad`.
fn check_fixture(yaml: &str, name: &str) -> Vec<Finding> {
    let code = fixture(name);
    let found = scanner(yaml).scan(name, code.as_bytes()).unwrap();
    let reported: BTreeSet<u32> = found
        .iter()
        .filter_map(|f| f.location.start_line())
        .collect();
    let expected: BTreeSet<u32> = code
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("# bad") || l.contains("// bad"))
        .map(|(i, _)| u32::try_from(i + 1).unwrap())
        .collect();
    assert_eq!(reported, expected, "{name}: reported vs expected lines");
    for f in &found {
        assert!(
            f.trace.len() >= 2,
            "{name}: a trace has a source and a sink: {f:?}"
        );
        assert!(f.trace[0].message.starts_with("source"), "{:?}", f.trace);
        assert!(
            f.trace.last().unwrap().message.starts_with("sink"),
            "{:?}",
            f.trace
        );
        assert_eq!(
            f.trace.last().unwrap().region.start_line,
            f.location.start_line().unwrap()
        );
    }
    found
}

const PY_RULE: &str = r#"
rules:
- id: py-sqli-taint
  mode: taint
  message: Request data reaches the query $Q
  severity: ERROR
  languages: [python]
  metadata:
    cwe: "CWE-89"
  pattern-sources:
  - pattern: request.args.get(...)
  - pattern: request.form[...]
  pattern-sinks:
  - patterns:
    - pattern: $CUR.execute($Q, ...)
    - focus-metavariable: $Q
  pattern-sanitizers:
  - pattern: int(...)
  - by-side-effect: true
    patterns:
    - pattern: $X.isdigit()
    - focus-metavariable: $X
"#;

#[test]
fn python_flows() {
    let found = check_fixture(PY_RULE, "flows.py");
    // Through a helper: the trace goes through the call and the helper's parameter.
    let via = found
        .iter()
        .find(|f| f.location.start_line() == Some(9))
        .unwrap();
    let messages: Vec<&str> = via.trace.iter().map(|s| s.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.starts_with("passed to `run()`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("parameter `q`")),
        "{messages:?}"
    );
    assert!(via.message.contains("the query q"), "{}", via.message);
}

const JS_RULE: &str = r#"
rules:
- id: js-sqli-taint
  mode: taint
  message: Request data reaches a SQL query
  severity: ERROR
  languages: [javascript, typescript]
  pattern-sources:
  - pattern: req.query
  - pattern: req.params
  - pattern: req.body
  pattern-sinks:
  - patterns:
    - pattern: $C.query($Q, ...)
    - focus-metavariable: $Q
  pattern-sanitizers:
  - pattern: parseInt(...)
"#;

#[test]
fn javascript_flows() {
    check_fixture(JS_RULE, "flows.js");
}

const JAVA_RULE: &str = r#"
rules:
- id: java-sqli-taint
  mode: taint
  message: Request data reaches a SQL statement
  severity: ERROR
  languages: [java]
  options:
    taint_assume_safe_numbers: true
  pattern-sources:
  - pattern: $R.getParameter(...)
  pattern-sinks:
  - patterns:
    - pattern-either:
      - pattern: $S.executeQuery($Q)
      - pattern: $S.execute($Q)
    - focus-metavariable: $Q
  pattern-sanitizers:
  - pattern: Integer.parseInt(...)
"#;

#[test]
fn java_flows() {
    check_fixture(JAVA_RULE, "Flows.java");
}

const GO_RULE: &str = r#"
rules:
- id: go-sqli-taint
  mode: taint
  message: Request data reaches a SQL query
  severity: ERROR
  languages: [go]
  pattern-sources:
  - pattern: $R.URL.Query().Get(...)
  - pattern: $R.FormValue(...)
  pattern-sinks:
  - patterns:
    - pattern: $DB.Query($Q, ...)
    - focus-metavariable: $Q
  pattern-sanitizers:
  - pattern: strconv.Atoi(...)
"#;

#[test]
fn go_flows() {
    check_fixture(GO_RULE, "flows.go");
}

const HEAD: &str =
    "rules:\n- id: t1\n  mode: taint\n  message: m\n  severity: ERROR\n  languages: [python]\n";

#[test]
fn unsupported_taint_keys_are_load_errors_naming_rule_and_key() {
    let sinks = "  pattern-sinks:\n  - pattern: sink(...)\n";
    let sources = "  pattern-sources:\n  - pattern: source(...)\n";
    let e = load_error(&format!("{HEAD}{sinks}"));
    assert!(
        e.contains("rule 't1'") && e.contains("`pattern-sources`"),
        "{e}"
    );
    let e = load_error(&format!(
        "{HEAD}  pattern-sources:\n  - pattern: source(...)\n    control: true\n{sinks}"
    ));
    assert!(e.contains("`pattern-sources[0].control`"), "{e}");
    let e = load_error(&format!(
        "{HEAD}{sources}  pattern-sinks:\n  - pattern: sink(...)\n    at-exit: true\n"
    ));
    assert!(e.contains("`pattern-sinks[0].at-exit`"), "{e}");
    let e = load_error(&format!(
        "{HEAD}{sources}{sinks}  pattern-propagators:\n  - pattern: f($A, $B)\n    from: $A\n    to: $B\n    replace-labels: [X]\n"
    ));
    assert!(e.contains("`pattern-propagators[0].replace-labels`"), "{e}");
    let e = load_error(&format!(
        "{HEAD}{sources}  pattern-sinks:\n  - pattern: sink(...)\n    requires: NOPE\n"
    ));
    assert!(e.contains("label `NOPE` is not declared"), "{e}");
    let e = load_error(&format!(
        "{HEAD}{sources}{sinks}  options:\n    taint_unify_mvars: true\n"
    ));
    assert!(e.contains("`options.taint_unify_mvars`"), "{e}");
    let e = load_error(&format!("{HEAD}  taint:\n    sources: []\n"));
    assert!(e.contains("`taint`"), "{e}");
    let e = load_error(
        "rules:\n- id: t2\n  message: m\n  severity: ERROR\n  languages: [python]\n  pattern-sources:\n  - pattern: x\n",
    );
    assert!(e.contains("add `mode: taint`"), "{e}");
    let e = load_error(&format!("{HEAD}{sources}{sinks}  pattern: x\n"));
    assert!(e.contains("`pattern` is for search rules"), "{e}");
}

#[test]
fn labels_and_requires() {
    let rule = format!(
        "{HEAD}  pattern-sources:\n  - label: USER\n    pattern: request.args.get(...)\n  - label: ENCODED\n    requires: USER\n    pattern: base64encode(...)\n  pattern-sinks:\n  - requires: USER and not ENCODED\n    pattern: sink(...)\n"
    );
    let code = "def f():\n    u = request.args.get('x')\n    sink(u)\n    e = base64encode(u)\n    sink(e)\n    sink(base64encode('const'))\n";
    let found = scanner(&rule).scan("a.py", code.as_bytes()).unwrap();
    let lines: Vec<u32> = found
        .iter()
        .filter_map(|f| f.location.start_line())
        .collect();
    // `e` carries USER and ENCODED, which the sink refuses; the constant never had USER.
    assert_eq!(lines, vec![3]);
}

#[test]
fn propagators_and_side_effect_sanitizers() {
    let rule = format!(
        "{HEAD}  pattern-sources:\n  - pattern: source()\n  pattern-sinks:\n  - pattern: sink(...)\n  pattern-propagators:\n  - pattern: copy_into($FROM, $TO)\n    from: $FROM\n    to: $TO\n  pattern-sanitizers:\n  - by-side-effect: true\n    patterns:\n    - pattern: validate($X)\n    - focus-metavariable: $X\n"
    );
    let code = "def f():\n    a = source()\n    b = []\n    copy_into(a, b)\n    sink(b)\n    c = source()\n    validate(c)\n    sink(c)\n    d = source()\n    if validate(d):\n        sink(d)\n    else:\n        sink(d)\n";
    let found = scanner(&rule).scan("a.py", code.as_bytes()).unwrap();
    let lines: Vec<u32> = found
        .iter()
        .filter_map(|f| f.location.start_line())
        .collect();
    assert_eq!(lines, vec![5, 13]);
    assert!(
        found[0]
            .trace
            .iter()
            .any(|s| s.message.starts_with("propagated by `copy_into(a, b)`")),
        "{:?}",
        found[0].trace
    );
}

#[test]
fn assume_safe_options() {
    let base =
        "  pattern-sources:\n  - pattern: source()\n  pattern-sinks:\n  - pattern: sink(...)\n";
    let code =
        "def f():\n    x = source()\n    sink(len(x))\n    sink(x == 'a')\n    sink(x - 1)\n";
    let lines = |opts: &str| -> Vec<u32> {
        scanner(&format!("{HEAD}{base}{opts}"))
            .scan("a.py", code.as_bytes())
            .unwrap()
            .iter()
            .filter_map(|f| f.location.start_line())
            .collect()
    };
    assert_eq!(lines(""), vec![3, 4, 5]);
    assert_eq!(
        lines("  options:\n    taint_assume_safe_functions: true\n"),
        vec![4, 5]
    );
    assert_eq!(
        lines("  options:\n    taint_assume_safe_booleans: true\n"),
        vec![3, 5]
    );
    assert_eq!(
        lines("  options:\n    taint_assume_safe_numbers: true\n"),
        vec![3, 4]
    );
}

#[test]
fn recursion_and_loops_terminate() {
    let rule = format!(
        "{HEAD}  pattern-sources:\n  - pattern: source()\n  pattern-sinks:\n  - pattern: sink(...)\n"
    );
    let code = "def r(n, v):\n    if n == 0:\n        return v\n    return r(n - 1, v + 'x')\n\ndef g():\n    x = 'a'\n    while more():\n        sink(x)\n        x = x + source()\n    sink(r(3, source()))\n";
    let found = scanner(&rule).scan("a.py", code.as_bytes()).unwrap();
    let lines: Vec<u32> = found
        .iter()
        .filter_map(|f| f.location.start_line())
        .collect();
    // The loop's back edge brings the taint to the sink at its head.
    assert_eq!(lines, vec![9, 11]);
}

#[test]
fn constant_conditions_and_local_classes() {
    let java = r#"
rules:
- id: j1
  mode: taint
  message: m
  severity: ERROR
  languages: [java]
  pattern-sources:
  - pattern: $R.getParameter(...)
  pattern-sinks:
  - pattern: sink(...)
"#;
    let code = "class A {\n  void f(HttpServletRequest r) {\n    String v = r.getParameter(\"p\");\n    String guess = \"ABC\";\n    String a = guess.equals(\"ABC\") ? \"safe\" : v;\n    sink(a);\n    String b = guess.equals(\"XYZ\") ? \"safe\" : v;\n    sink(b);\n  }\n}\n";
    let found = scanner(java).scan("A.java", code.as_bytes()).unwrap();
    let lines: Vec<u32> = found
        .iter()
        .filter_map(|f| f.location.start_line())
        .collect();
    assert_eq!(lines, vec![8]);

    let py = format!(
        "{HEAD}  pattern-sources:\n  - pattern: source()\n  pattern-sinks:\n  - pattern: sink(...)\n"
    );
    let code = "class Service:\n    def handle(self, v):\n        return self.send(v)\n\n    def send(self, v):\n        sink(v)\n\ndef view():\n    Service().handle(source())\n    Service().handle('constant')\n";
    let found = scanner(&py).scan("a.py", code.as_bytes()).unwrap();
    let lines: Vec<u32> = found
        .iter()
        .filter_map(|f| f.location.start_line())
        .collect();
    assert_eq!(lines, vec![6]);
    let messages: Vec<&str> = found[0].trace.iter().map(|s| s.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("passed to `handle()`")),
        "{messages:?}"
    );
}

#[test]
fn hostile_input_neither_panics_nor_hangs_in_taint_mode() {
    let rule = format!(
        "{HEAD}  pattern-sources:\n  - pattern: source()\n  pattern-sinks:\n  - pattern: sink(...)\n  pattern-sanitizers:\n  - by-side-effect: true\n    patterns:\n    - pattern: ok($X)\n    - focus-metavariable: $X\n"
    );
    let s = scanner(&rule);
    let n = 20_000;
    let mut cases: Vec<(&str, String)> = Vec::new();
    cases.push((
        "parens.py",
        format!(
            "def f():\n    x = source()\n    sink({}x{})\n",
            "(".repeat(n),
            ")".repeat(n)
        ),
    ));
    cases.push((
        "and.py",
        format!(
            "def f():\n    x = source()\n    if {}:\n        sink(x)\n",
            vec!["ok(x)"; n].join(" and ")
        ),
    ));
    cases.push((
        "member.py",
        format!(
            "def f():\n    x = source()\n    sink(x{})\n",
            ".a".repeat(n)
        ),
    ));
    cases.push((
        "tuple.py",
        format!(
            "def f():\n    {}a{} = source()\n    sink(a)\n",
            "(".repeat(2000),
            ",)".repeat(2000)
        ),
    ));
    let mut long = String::from("def f():\n    x0 = source()\n");
    for i in 1..n {
        long.push_str(&format!("    x{i} = x{} + 'a'\n", i - 1));
    }
    long.push_str(&format!("    sink(x{})\n", n - 1));
    cases.push(("long.py", long));
    let mut nested = String::from("def f():\n    x = source()\n");
    for d in 0..400 {
        nested.push_str(&format!("{}while x:\n", "    ".repeat(d + 1)));
    }
    nested.push_str(&format!("{}sink(x)\n", "    ".repeat(401)));
    cases.push(("loops.py", nested));
    cases.push((
        "arrows.js",
        format!(
            "const x = source();\n{}sink(x){};\n",
            "(() => ".repeat(3000),
            ")".repeat(3000)
        ),
    ));
    for (name, code) in &cases {
        let started = std::time::Instant::now();
        match s.scan(name, code.as_bytes()) {
            Ok(_)
            | Err(
                palisade_sast::SastError::Timeout { .. }
                | palisade_sast::SastError::TooLarge { .. },
            ) => {}
            Err(e) => panic!("{name}: {e}"),
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{name} took {:?}",
            started.elapsed()
        );
    }
    // The long chain is followed to its end.
    let long = &cases.iter().find(|(n, _)| *n == "long.py").unwrap().1;
    let found = s.scan("long.py", long.as_bytes()).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].trace.len() <= 41, "traces are bounded");
}

#[test]
fn list_elements_by_index_while_the_length_is_known() {
    let rule = format!(
        "{HEAD}  pattern-sources:\n  - pattern: source()\n  pattern-sinks:\n  - pattern: sink(...)\n"
    );
    let code = "def f(n):\n    items = ['constant']\n    items.append(source())\n    sink(items[0])\n    sink(items[1])\n    sink(' '.join(items))\n    other = ['a']\n    other.insert(0, source())\n    sink(other[0])\n    for x in items:\n        sink(x)\n";
    let found = scanner(&rule).scan("a.py", code.as_bytes()).unwrap();
    let lines: Vec<u32> = found
        .iter()
        .filter_map(|f| f.location.start_line())
        .collect();
    // An insert at an unknown position makes the whole list tainted (line 9).
    assert_eq!(lines, vec![5, 6, 9, 11]);
}

#[test]
fn exact_sinks_and_not_conflicting_sanitizers() {
    let code = "def f():\n    x = get_input()\n    sink(x)\n    y = process(x)\n    sink(y)\n    wrap(x)\n";
    let lines = |extra: &str| -> Vec<u32> {
        let rule = format!(
            "{HEAD}  options:\n    taint_assume_safe_functions: true\n  pattern-sources:\n  - pattern: get_input()\n  pattern-sinks:\n  - pattern: sink(...)\n  - pattern: wrap(...)\n{extra}"
        );
        scanner(&rule)
            .scan("a.py", code.as_bytes())
            .unwrap()
            .iter()
            .filter_map(|f| f.location.start_line())
            .collect()
    };
    assert_eq!(lines(""), vec![3, 6]);
    // A sanitizer matching every call also matches the sinks…
    assert_eq!(
        lines("  pattern-sanitizers:\n  - pattern: $F(...)\n"),
        Vec::<u32>::new()
    );
    // …unless it yields to them.
    assert_eq!(
        lines("  pattern-sanitizers:\n  - pattern: $F(...)\n    not-conflicting: true\n"),
        vec![3, 6]
    );
    // An exact sink is the call's own value, which a safe function does not carry.
    let exact = format!(
        "{HEAD}  options:\n    taint_assume_safe_functions: true\n  pattern-sources:\n  - pattern: get_input()\n  pattern-sinks:\n  - pattern: wrap(...)\n    exact: true\n"
    );
    assert!(
        scanner(&exact)
            .scan("a.py", code.as_bytes())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn fields_stored_by_one_method_reach_another() {
    let py = format!(
        "{HEAD}  pattern-sources:\n  - pattern: source()\n  pattern-sinks:\n  - pattern: sink(...)\n"
    );
    let code = "class Job:\n    def __init__(self, v, w):\n        self.v = v\n        self.w = w\n\n    def run(self):\n        sink(self.v)\n        sink(self.w)\n\ndef view():\n    Job(source(), 'constant').run()\n";
    let found = scanner(&py).scan("a.py", code.as_bytes()).unwrap();
    let lines: Vec<u32> = found
        .iter()
        .filter_map(|f| f.location.start_line())
        .collect();
    assert_eq!(lines, vec![7]);
    let messages: Vec<&str> = found[0].trace.iter().map(|s| s.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.starts_with("passed to `Job()`")),
        "{messages:?}"
    );

    let java = r#"
rules:
- id: j1
  mode: taint
  message: m
  severity: ERROR
  languages: [java]
  pattern-sources:
  - pattern: $R.getParameter(...)
  pattern-sinks:
  - pattern: sink(...)
"#;
    let code = "class A {\n  private String stored;\n  private String other;\n  void keep(String v) { this.stored = v; this.other = \"x\"; }\n  void use() {\n    sink(this.stored);\n    sink(this.other);\n  }\n  void doGet(HttpServletRequest r) {\n    keep(r.getParameter(\"p\"));\n    use();\n  }\n}\n";
    let found = scanner(java).scan("A.java", code.as_bytes()).unwrap();
    let lines: Vec<u32> = found
        .iter()
        .filter_map(|f| f.location.start_line())
        .collect();
    assert_eq!(lines, vec![6]);
}
