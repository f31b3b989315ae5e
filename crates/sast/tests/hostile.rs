//! Bad input never panics, never hangs and never blows the stack: binary files, invalid UTF-8,
//! huge minified files, pathological nesting.

use std::time::{Duration, Instant};

use palisade_sast::{Limits, RuleSet, RuleSource, SastError, SastScanner};

fn scanner(limits: Limits) -> SastScanner {
    let yaml = r#"
rules:
- id: eval-any
  pattern: eval(...)
  message: eval
  languages: [python, javascript, typescript, java, go]
  severity: ERROR
- id: deep-eval
  pattern: foo(<... eval ...>)
  message: deep
  languages: [javascript, python]
  severity: ERROR
- id: seq
  pattern: |
    $X = source()
    ...
    eval($X)
  message: flow
  languages: [python, javascript]
  severity: ERROR
"#;
    let (rules, errors) = RuleSet::load(
        &[RuleSource {
            name: "hostile.yaml".into(),
            yaml: yaml.into(),
        }],
        false,
    );
    assert!(errors.is_empty(), "{errors:?}");
    SastScanner::new(rules, limits)
}

#[test]
fn binary_and_invalid_utf8_are_harmless() {
    let s = scanner(Limits::default());
    let binary: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    assert_eq!(s.scan("blob.py", &binary).unwrap(), vec![]);
    let mut latin1 = b"x = '\xe9t\xe9'\neval(x)\n".to_vec();
    latin1.extend_from_slice(&[0xff, 0xfe, b'\n']);
    let found = s.scan("latin1.py", &latin1).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].location.start_line(), Some(2));
    for path in ["a.py", "a.js", "a.ts", "a.tsx", "A.java", "a.go"] {
        assert_eq!(s.scan(path, b"").unwrap(), vec![]);
        let _ = s.scan(path, b"eval(\"unterminated").unwrap();
        let _ = s
            .scan(path, "\u{feff}eval(1) // \u{2028} é 😀".as_bytes())
            .unwrap();
    }
}

#[test]
fn a_five_megabyte_minified_file_finishes_within_its_time_limit() {
    let mut js = String::with_capacity(5 * 1024 * 1024 + 100);
    let mut i = 0u64;
    while js.len() < 5 * 1024 * 1024 {
        js.push_str(&format!(
            "var a{i}=function(b,c){{return b+c*{i}}};foo(a{i}(1,2),[1,2,3],{{k:'v'}});"
        ));
        i += 1;
    }
    js.push_str("eval(x);");
    let limit = Duration::from_secs(5);
    let s = scanner(Limits {
        per_file_timeout: limit,
        max_file_bytes: 8 * 1024 * 1024,
        ..Limits::default()
    });
    let started = Instant::now();
    let result = s.scan("bundle.min.js", js.as_bytes());
    let took = started.elapsed();
    // Either it finished, or it stopped at the limit and said so; never much later.
    assert!(took < limit + Duration::from_secs(5), "took {took:?}");
    match result {
        Ok(findings) => assert!(findings.iter().any(|f| f.rule_id == "eval-any")),
        Err(SastError::Timeout { limit: l, .. }) => assert_eq!(l, limit),
        Err(other) => panic!("unexpected {other}"),
    }
    // With the default size limit the file is refused up front, instantly.
    let small = scanner(Limits {
        max_file_bytes: 1024,
        ..Limits::default()
    });
    assert!(matches!(
        small.scan("bundle.min.js", js.as_bytes()),
        Err(SastError::TooLarge { .. })
    ));
}

#[test]
fn deeply_nested_input_does_not_overflow_the_stack() {
    let s = scanner(Limits::default());
    for depth in [1_000, 50_000] {
        let parens = format!("x = {}1{}\neval(x)\n", "(".repeat(depth), ")".repeat(depth));
        let lists = format!("x = {}{}\neval(x)\n", "[".repeat(depth), "]".repeat(depth));
        let calls = format!("{}eval(1){}\n", "foo(".repeat(depth), ")".repeat(depth));
        let binary = format!("x = 1{}\neval(x)\n", " + 1".repeat(depth));
        for src in [parens, lists, calls, binary] {
            // Run on a small stack, like a worker thread, to prove the recursion is bounded.
            let s = &s;
            std::thread::scope(|scope| {
                let h = std::thread::Builder::new()
                    .stack_size(256 * 1024)
                    .spawn_scoped(scope, move || {
                        let _ = s.scan("deep.py", src.as_bytes());
                        let _ = s.scan("deep.js", src.as_bytes());
                    })
                    .unwrap();
                h.join().unwrap();
            });
        }
    }
}

#[test]
fn a_tiny_time_limit_reports_a_timeout_not_a_hang() {
    let s = scanner(Limits {
        per_file_timeout: Duration::ZERO,
        ..Limits::default()
    });
    let src = "eval(1)\n".repeat(10_000);
    let err = s.scan("t.py", src.as_bytes()).unwrap_err();
    assert!(matches!(err, SastError::Timeout { .. }), "{err}");
    assert!(err.to_string().starts_with("t.py: analysis timed out"));
}

#[test]
fn the_scanner_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SastScanner>();
    let s = scanner(Limits::default());
    std::thread::scope(|scope| {
        for t in 0..4 {
            let s = &s;
            scope.spawn(move || {
                for i in 0..50 {
                    let src = format!("x{t} = {i}\neval(x{t})\n");
                    let found = s.scan("x.py", src.as_bytes()).unwrap();
                    assert_eq!(found.len(), 1);
                }
            });
        }
    });
}
