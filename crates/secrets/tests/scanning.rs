//! How the scanner reports: pairs, checksums, precedence, deduplication, order and the fields of
//! each finding.

#![allow(clippy::unwrap_used)]

mod common;

use common::{aws_pair, fake, github_token, jwt, pem, scanner, summary};
use palisade_core::{Details, Location};

fn ids(findings: &[palisade_core::Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule_id.as_str()).collect()
}

#[test]
fn an_aws_key_pair_is_one_verified_finding() {
    let (id, secret) = aws_pair(1);
    let file = format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n");
    let findings = scanner().scan(".aws/credentials", file.as_bytes());
    assert_eq!(
        summary(&findings),
        vec![("aws-secret-access-key-pair".to_owned(), 3, 25)]
    );
    let f = &findings[0];
    let Some(Details::Secret {
        verified_format, ..
    }) = &f.details
    else {
        panic!("no secret details");
    };
    assert!(verified_format);
    assert_eq!(f.secret.as_ref().unwrap().expose(), secret);

    // Without the key id the same line is the lone-secret rule; without the secret, the key id.
    let lone = scanner().scan(
        "a",
        format!("aws_secret_access_key = {secret}\n").as_bytes(),
    );
    assert_eq!(ids(&lone), ["aws-secret-access-key"]);
    let id_only = scanner().scan("a", format!("aws_access_key_id = {id}\n").as_bytes());
    assert_eq!(ids(&id_only), ["aws-access-key-id"]);
}

#[test]
fn a_pair_too_far_apart_is_two_findings() {
    let (id, secret) = aws_pair(2);
    let file = format!(
        "id = {id}\n{}aws_secret_access_key = {secret}\n",
        "\n".repeat(10)
    );
    let findings = scanner().scan("a", file.as_bytes());
    assert_eq!(
        ids(&findings),
        ["aws-access-key-id", "aws-secret-access-key"]
    );
}

#[test]
fn checksum_failures_are_not_reported_by_any_rule() {
    let good = github_token("ghp", 3);
    let mut bad = good.clone();
    bad.replace_range(bad.len() - 1.., if good.ends_with('A') { "B" } else { "A" });
    let file = format!("GITHUB_TOKEN={bad}\ntoken = \"{bad}\"\nGITHUB_TOKEN={good}\n");
    let findings = scanner().scan(".env", file.as_bytes());
    assert_eq!(summary(&findings), vec![("github-pat".to_owned(), 3, 14)]);
    let Some(Details::Secret {
        verified_format, ..
    }) = &findings[0].details
    else {
        panic!()
    };
    assert!(verified_format);
}

#[test]
fn the_most_specific_rule_wins() {
    // github-pat over generic-secret-assignment over jwt.
    let gh = github_token("ghp", 4);
    let findings = scanner().scan("a.py", format!("api_token = \"{gh}\"\n").as_bytes());
    assert_eq!(ids(&findings), ["github-pat"]);

    let token = jwt(r#"{"sub":"svc-reports","iat":1700000000}"#);
    let findings = scanner().scan("a.py", format!("auth_token = \"{token}\"\n").as_bytes());
    assert_eq!(ids(&findings), ["generic-secret-assignment"]);
    let findings = scanner().scan("a.py", format!("headers(\"Bearer {token}\")\n").as_bytes());
    assert_eq!(ids(&findings), ["jwt"]);

    // A database URL beats "credentials in a URL".
    let pw = fake(5, common::ALNUM, 18);
    let url = format!("postgres://app:{pw}@db.internal:5432/app");
    let findings = scanner().scan("a", format!("dsn = \"{url}\"\n").as_bytes());
    assert_eq!(ids(&findings), ["postgres-url-password"]);
}

#[test]
fn the_same_secret_is_reported_once_at_its_first_occurrence() {
    let gh = github_token("ghp", 6);
    // First seen in a comment (only github-pat matches), then assigned (generic matches too).
    let file = format!("# old token {gh}\nx = 1\nGITHUB_TOKEN = \"{gh}\"\nagain: {gh}\n");
    let findings = scanner().scan("a", file.as_bytes());
    assert_eq!(summary(&findings), vec![("github-pat".to_owned(), 1, 13)]);
    // And a value only the generic rule matches at first is still reported by the better rule.
    let file = format!("password = \"{gh}\"\nlater {gh}\n");
    let findings = scanner().scan("a", file.as_bytes());
    assert_eq!(summary(&findings), vec![("github-pat".to_owned(), 1, 13)]);
}

#[test]
fn findings_are_ordered_by_position_then_rule() {
    let (id, _) = aws_pair(7);
    let gh = github_token("ghp", 8);
    let stripe = format!("sk_live_{}", fake(9, common::ALNUM, 32));
    let file = format!("a={stripe} b={gh}\nc={id}\n");
    let findings = scanner().scan("a", file.as_bytes());
    assert_eq!(
        summary(&findings),
        vec![
            ("stripe-secret-key".to_owned(), 1, 3),
            ("github-pat".to_owned(), 1, 46),
            ("aws-access-key-id".to_owned(), 2, 3),
        ]
    );
    // Scanning twice gives identical output.
    assert_eq!(findings, scanner().scan("a", file.as_bytes()));
}

#[test]
fn supabase_service_role_keys_are_found_and_anon_keys_are_not() {
    let service = jwt(
        r#"{"iss":"supabase","ref":"qwertyuiopasdfghjklz","role":"service_role","iat":1700000000}"#,
    );
    let anon =
        jwt(r#"{"iss":"supabase","ref":"qwertyuiopasdfghjklz","role":"anon","iat":1700000000}"#);
    let demo = jwt(r#"{"iss":"supabase-demo","role":"service_role","exp":1983812996}"#);
    let file = format!(
        "SUPABASE_ANON_KEY={anon}\nSUPABASE_SERVICE_ROLE_KEY={service}\nLOCAL_KEY={demo}\n"
    );
    let findings = scanner().scan(".env", file.as_bytes());
    assert_eq!(
        summary(&findings),
        vec![("supabase-service-role-key".to_owned(), 2, 27)]
    );
}

#[test]
fn key_blocks_must_hold_key_material() {
    let readme = "To configure TLS, paste your key:\n\n```\n-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n```\n";
    assert!(scanner().scan("README.md", readme.as_bytes()).is_empty());
    let key = pem("RSA PRIVATE KEY", 10);
    let file = format!("# deploy key\n{key}\n");
    let findings = scanner().scan("deploy.pem", file.as_bytes());
    assert_eq!(
        summary(&findings),
        vec![("private-key-rsa".to_owned(), 2, 1)]
    );
    let region = findings[0].location.region().unwrap();
    assert_eq!(region.end_line, 2 + key.lines().count() as u32 - 1);
    let snippet = &findings[0].evidence.as_ref().unwrap().snippet;
    assert!(!snippet.contains("BEGIN RSA"), "{snippet}");
}

#[test]
fn generic_assignments_skip_code_templates_and_placeholders() {
    let decoys = [
        "password = get_password()",
        "password = \"\"",
        "password=${DB_PASSWORD}",
        "password: {{ .Values.db.password }}",
        "PASSWORD=%(db_password)s",
        "token = os.environ[\"API_TOKEN\"]",
        "api_key = settings.API_KEY",
        "secret_name = \"prod/db/credentials\"",
        "password_length = 16",
        "token_url = \"https://auth.acme.io/oauth/token\"",
        "password: \"changeme\"",
        "api_key: \"<your-api-key>\"",
        "SECRET_KEY = \"xxxxxxxxxxxxxxxxxxxxxxxx\"",
        "if password == user.password_hash:",
        "csrf_token = \"Zq8vL2pX9mTr4sKw1yBn6cFh\"",
        "password = \"abcdefgh12345678\"",
        "token: ${{ secrets.GITHUB_TOKEN }}",
        "const password = process.env.DB_PASSWORD;",
        "password: !vault |",
        "secret = \"********\"",
    ];
    for d in decoys {
        let findings = scanner().scan("a", d.as_bytes());
        assert!(findings.is_empty(), "{d} → {:?}", ids(&findings));
    }
    let real = format!("DB_PASSWORD=\"{}\"", fake(11, common::ALNUM, 20));
    assert_eq!(
        ids(&scanner().scan("a", real.as_bytes())),
        ["generic-secret-assignment"]
    );
}

#[test]
fn every_field_of_a_finding_is_filled_and_masked() {
    let gh = github_token("ghp", 12);
    let file =
        format!("steps:\n  - run: git push https://x:{gh}@github.com/acme/app.git # again {gh}\n");
    let findings = scanner().scan(".github/workflows/release.yml", file.as_bytes());
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.rule_id, "github-pat");
    assert_eq!(f.title, "GitHub personal access token (classic)");
    assert!(
        f.message
            .starts_with("Hard-coded GitHub personal access token (classic). It acts as the user")
    );
    assert!(!f.message.contains(&gh));
    let Location::File { path, region } = &f.location else {
        panic!("not a file location");
    };
    assert_eq!(path, ".github/workflows/release.yml");
    assert_eq!((region.start_line, region.start_column), (2, 29));
    assert_eq!((region.end_line, region.end_column), (2, 29 + 40));
    let snippet = &f.evidence.as_ref().unwrap().snippet;
    assert_eq!(
        snippet,
        "- run: git push https://x:ghp_…(40 chars)@github.com/acme/app.git # again ghp_…(40 chars)"
    );
    let Some(Details::Secret {
        commit,
        entropy,
        verified_format,
        masked,
    }) = &f.details
    else {
        panic!("no details");
    };
    assert_eq!(*commit, None);
    assert!(entropy.unwrap() > 4.0);
    assert!(verified_format);
    assert_eq!(masked, "ghp_…(40 chars)");
    assert!(f.suggestion.as_ref().unwrap().starts_with("Revoke it"));
    assert_eq!(f.secret.as_ref().unwrap().expose(), gh);
    let json = serde_json::to_string(&findings).unwrap();
    assert!(!json.contains(&gh));
}

#[test]
fn long_lines_are_cut_around_the_secret_in_the_snippet() {
    let gh = github_token("ghp", 13);
    let line = format!(
        "var a=\"{}\";var t=\"{gh}\";var b=\"{}\";",
        "q".repeat(5000),
        "z".repeat(5000)
    );
    let findings = scanner().scan("bundle.min.js", line.as_bytes());
    assert_eq!(ids(&findings), ["github-pat"]);
    let snippet = &findings[0].evidence.as_ref().unwrap().snippet;
    assert!(
        snippet.chars().count() <= 200,
        "{} chars",
        snippet.chars().count()
    );
    assert!(
        snippet.starts_with('…') && snippet.ends_with('…'),
        "{snippet}"
    );
    assert!(snippet.contains("var t=\"ghp_…(40 chars)\""), "{snippet}");
    assert_eq!(
        findings[0].location.region().unwrap().start_column,
        7 + 5000 + 9 + 1
    );
}
