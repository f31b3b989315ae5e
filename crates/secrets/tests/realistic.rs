//! Realistic files with planted fake secrets and decoys: exactly which rules fire, and where.
//! Every secret is generated at test time, so none is stored in the repository.

#![allow(clippy::unwrap_used)]

mod common;

use common::{ALNUM, B64, HEX, aws_pair, fake, github_token, scanner};
use palisade_core::Finding;

/// `(rule id, line, column)` of the first occurrence of `needle` in `file`.
fn at(rule: &str, file: &str, needle: &str) -> (String, u32, u32) {
    let offset = file
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in file"));
    let before = &file[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (rule.to_owned(), line as u32, column as u32)
}

fn scan(path: &str, file: &str) -> Vec<Finding> {
    let findings = scanner().scan(path, file.as_bytes());
    // Redaction: nothing that serialises a finding may carry the secret.
    let json = serde_json::to_string(&findings).unwrap();
    for f in &findings {
        let raw = f
            .secret
            .as_ref()
            .expect("raw secret kept in memory")
            .expose();
        assert!(
            !json.contains(raw),
            "{path}: {} leaked into JSON",
            f.rule_id
        );
        assert!(!f.message.contains(raw));
    }
    findings
}

#[test]
fn dotenv_file() {
    let pw = fake(1, ALNUM, 20);
    let stripe = format!("sk_live_{}", fake(2, ALNUM, 32));
    let sendgrid = format!("SG.{}.{}", fake(3, ALNUM, 22), fake(4, ALNUM, 43));
    let session = fake(5, ALNUM, 32);
    let publishable = format!("pk_live_{}", fake(6, ALNUM, 32));
    let file = format!(
        "# production settings\n\
         APP_ENV=production\n\
         DATABASE_URL=postgres://app:{pw}@db.internal:5432/app\n\
         REDIS_URL=redis://localhost:6379/0\n\
         STRIPE_SECRET_KEY={stripe}\n\
         STRIPE_PUBLISHABLE_KEY={publishable}\n\
         SENDGRID_API_KEY={sendgrid}\n\
         GITHUB_TOKEN=${{GITHUB_TOKEN}}\n\
         AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n\
         AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
         SESSION_SECRET={session}\n\
         ADMIN_PASSWORD=changeme\n"
    );
    let findings = scan(".env", &file);
    assert_eq!(
        common::summary(&findings),
        vec![
            at("postgres-url-password", &file, &pw),
            at("stripe-secret-key", &file, &stripe),
            at("sendgrid-api-key", &file, &sendgrid),
            at("generic-secret-assignment", &file, &session),
        ]
    );
    insta::assert_json_snapshot!("dotenv_findings", findings);
}

#[test]
fn django_settings() {
    let (id, secret) = aws_pair(10);
    let django = format!("django-insecure-{}", fake(11, ALNUM, 40));
    let dsn_key = fake(12, HEX, 32);
    let file = format!(
        "import os\n\
         from .secrets import get_secret\n\
         \n\
         SECRET_KEY = '{django}'\n\
         DEBUG = False\n\
         DATABASES = {{\n    \
             'default': {{\n        \
                 'ENGINE': 'django.db.backends.postgresql',\n        \
                 'PASSWORD': os.environ['DB_PASSWORD'],\n    \
             }}\n\
         }}\n\
         EMAIL_HOST_PASSWORD = get_secret('smtp')\n\
         AWS_STORAGE_BUCKET_NAME = 'acme-static'\n\
         AWS_ACCESS_KEY_ID = '{id}'\n\
         AWS_SECRET_ACCESS_KEY = '{secret}'\n\
         SENTRY_DSN = 'https://{dsn_key}@o4508123.ingest.sentry.io/4508765432198765'\n"
    );
    let findings = scan("app/settings.py", &file);
    assert_eq!(
        common::summary(&findings),
        vec![
            at("generic-secret-assignment", &file, &django),
            at("aws-secret-access-key-pair", &file, &secret),
            at("sentry-dsn", &file, "https://"),
        ]
    );
}

#[test]
fn config_yaml() {
    let pw = fake(20, ALNUM, 24);
    let hook = format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        fake(21, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 10),
        fake(22, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 10),
        fake(23, ALNUM, 24)
    );
    let openai = format!(
        "sk-proj-{}T3BlbkFJ{}",
        fake(24, ALNUM, 74),
        fake(25, ALNUM, 74)
    );
    let auth_token = fake(26, HEX, 32);
    let file = format!(
        "server:\n  port: 8080\n\
         database:\n  host: db.internal\n  user: app\n  password: \"{pw}\"\n\
         slack:\n  webhook: {hook}\n  bot_token: xoxb-not-a-real-token-this-will-not-work\n\
         openai:\n  api_key: {openai}\n\
         twilio:\n  account_sid: AC{sid}\n  auth_token: {auth_token}\n",
        sid = fake(27, HEX, 32),
    );
    let findings = scan("config.yaml", &file);
    assert_eq!(
        common::summary(&findings),
        vec![
            at("generic-secret-assignment", &file, &pw),
            at("slack-webhook-url", &file, &hook),
            at("openai-project-key", &file, &openai),
            at("twilio-auth-token", &file, &auth_token),
        ]
    );
}

#[test]
fn docker_compose() {
    let pw = fake(30, ALNUM, 20);
    let mongo_pw = fake(31, ALNUM, 20);
    let npm = github_token("npm", 32);
    let file = format!(
        "services:\n  db:\n    image: postgres:16\n    environment:\n      \
         POSTGRES_PASSWORD: example\n      POSTGRES_USER: app\n  \
         app:\n    build: .\n    environment:\n      \
         - DATABASE_URL=postgresql://app:{pw}@db:5432/app\n      \
         - MONGO_URL=mongodb+srv://svc:{mongo_pw}@cluster0.abcde.mongodb.net/app\n      \
         - NPM_TOKEN={npm}\n      \
         - RABBITMQ_URL=amqp://guest:guest@rabbit:5672/\n"
    );
    let findings = scan("docker-compose.yml", &file);
    assert_eq!(
        common::summary(&findings),
        vec![
            at("postgres-url-password", &file, &pw),
            at("mongodb-url-password", &file, &mongo_pw),
            at("npm-access-token", &file, &npm),
        ]
    );
}

#[test]
fn terraform() {
    let (id, secret) = aws_pair(40);
    let tfc = format!("{}.atlasv1.{}", fake(41, ALNUM, 14), fake(42, ALNUM, 67));
    let file = format!(
        "terraform {{\n  cloud {{\n    organization = \"acme\"\n    token = \"{tfc}\"\n  }}\n}}\n\n\
         provider \"aws\" {{\n  region     = \"us-east-1\"\n  access_key = \"{id}\"\n  secret_key = \"{secret}\"\n}}\n\n\
         resource \"aws_db_instance\" \"main\" {{\n  username = \"app\"\n  password = var.db_password\n}}\n"
    );
    let findings = scan("infra/main.tf", &file);
    assert_eq!(
        common::summary(&findings),
        vec![
            at("terraform-cloud-token", &file, &tfc),
            at("aws-secret-access-key-pair", &file, &secret),
        ]
    );
}

#[test]
fn minified_javascript_bundle() {
    let google = format!("AIza{}", fake(50, ALNUM, 35));
    let stripe = format!("sk_live_{}", fake(51, ALNUM, 24));
    let filler = "function(n){return n*2}".repeat(300);
    let file = format!(
        "!function(){{var a=[{filler}];var e={{apiKey:\"{google}\",authDomain:\"acme.firebaseapp.com\"}};\
         var t=\"{stripe}\";fetch(\"/api\",{{headers:{{Authorization:\"Bearer \"+t}}}})}}();\n"
    );
    let findings = scan("dist/app.min.js", &file);
    assert_eq!(
        common::summary(&findings),
        vec![
            at("google-api-key", &file, &google),
            at("stripe-secret-key", &file, &stripe),
        ]
    );
}

#[test]
fn jupyter_notebook() {
    let openai = format!("sk-{}T3BlbkFJ{}", fake(60, ALNUM, 20), fake(61, ALNUM, 20));
    let hf = format!(
        "hf_{}",
        fake(
            62,
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
            34
        )
    );
    let png = fake(63, B64, 4000);
    let file = format!(
        r#"{{
 "cells": [
  {{
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {{}},
   "outputs": [],
   "source": [
    "import openai\n",
    "openai.api_key = \"{openai}\"\n"
   ]
  }},
  {{
   "cell_type": "code",
   "execution_count": 2,
   "metadata": {{}},
   "outputs": [
    {{
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "logged in with {hf}\n"
     ]
    }},
    {{
     "data": {{ "image/png": "{png}" }},
     "output_type": "display_data"
    }}
   ],
   "source": [
    "from huggingface_hub import login\n",
    "login(token=os.environ[\"HF_TOKEN\"])\n"
   ]
  }}
 ],
 "nbformat": 4,
 "nbformat_minor": 5
}}
"#
    );
    let findings = scan("analysis.ipynb", &file);
    assert_eq!(
        common::summary(&findings),
        vec![
            at("openai-user-key", &file, &openai),
            at("huggingface-access-token", &file, &hf),
        ]
    );
}

/// Source code from real crates and libraries: type annotations, argument lists, member accesses
/// and imports mention tokens and secrets everywhere without holding one; only string literals
/// can. (Regression: `generic-secret-assignment` reported hundreds of these on the crates.io
/// sources, every one a false positive.)
#[test]
fn source_code_shapes_are_not_secrets() {
    let rust = r#"use quote::{ToTokens, TokenStreamExt as _};

pub fn new(tokens: TokenStream, secret: Arc<ZeroizeBoxSlice<u8>>) -> Self {
    let token = lexer.next_token;
    update_lcs(pos, token, histogram, previous_token);
    let password = config.password.clone();
    Self { tokens, secret }
}
"#;
    let c = "static const char *names[] = {\"setct-CapTokenTBS\", \"setct-CapTokenTBS\"};\nkey = src->private_key;\n";
    let record = "pip/_internal/network/get_token.py,sha256=-a4b6YZucLm2kQ8rT0wXyZ1vBnM3pQ5sT7uV9wXy,10055\n";
    assert!(scan("src/lexer.rs", rust).is_empty());
    assert!(scan("crypto/obj_dat.c", c).is_empty());
    assert!(scan("site-packages/pip-23.2.dist-info/RECORD", record).is_empty());

    // A literal in code is still found, and the same line in a config file needs no quotes.
    let password = fake(70, ALNUM, 20);
    let code = format!("const DB_PASSWORD: &str = \"{password}\";\n");
    assert_eq!(
        rules_of(&scan("src/db.rs", &code)),
        ["generic-secret-assignment"]
    );
    let env = format!("DB_PASSWORD={password}\n");
    assert_eq!(rules_of(&scan(".env", &env)), ["generic-secret-assignment"]);
    let code_unquoted = format!("db_password = {password}\n");
    assert!(
        scan("settings.py", &code_unquoted).is_empty(),
        "an identifier in code"
    );
}

fn rules_of(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule_id.as_str()).collect()
}
