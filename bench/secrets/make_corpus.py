#!/usr/bin/env python3
"""Write a labelled secrets-detection corpus: realistic project files with FAKE credentials.

Every credential is generated at run time in its provider's real format (prefix, length,
alphabet, and checksum where the format has one: GitHub and npm tokens end in a base62 CRC32,
Azure storage keys are 64 bytes of base64, PyPI tokens are macaroons whose location is pypi.org,
private keys are real keys from openssl / ssh-keygen). None of them was ever issued by a
provider. Next to them sit near-miss decoys that a good scanner must leave alone: placeholders,
documentation keys, hashes, UUIDs, base64 blobs, test fixtures, references to environment
variables or secret stores, wrong checksums, truncated tokens, public keys and identifiers.

Usage: make_corpus.py OUT_DIR [--seed N] [--services N]

OUT_DIR gets one directory per fictional service plus `labels.json`:
  [{"file": "svc/.env", "line": 3, "end_line": 3, "provider": "github", "format": "ghp",
    "is_secret": true, "kind": "secret"}, ...]
Every line that holds a credential or a decoy is labelled; all other lines are filler code and
config that holds neither (a finding there is a false positive too).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from typing import Callable

ALNUM = string.ascii_letters + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

R = random.Random()


def rs(alphabet: str, n: int) -> str:
    return "".join(R.choice(alphabet) for _ in range(n))


def crc_base62(random_part: str) -> str:
    """GitHub/npm token checksum: CRC32 of the random part, base62, left-padded to 6."""
    n = zlib.crc32(random_part.encode()) & 0xFFFFFFFF
    out = []
    for _ in range(6):
        out.append(BASE62[n % 62])
        n //= 62
    return "".join(reversed(out))


def checksummed(prefix: str) -> str:
    body = rs(ALNUM, 30)
    return f"{prefix}_{body}{crc_base62(body)}"


def bad_checksum(prefix: str) -> str:
    body = rs(ALNUM, 30)
    good = crc_base62(body)
    bad = good
    while bad == good:
        bad = rs(ALNUM, 6)
    return f"{prefix}_{body}{bad}"


def uuid4() -> str:
    h = rs(HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{R.choice('89ab')}{h[17:20]}-{h[20:32]}"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def b64url_nopad(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def rbytes(n: int) -> bytes:
    return bytes(R.getrandbits(8) for _ in range(n))


def password() -> str:
    # What people paste into .env files: mixed classes, 16-24 chars, no quotes or spaces.
    pool = ALNUM + "!#%^*-_+.~"
    while True:
        p = rs(pool, R.randint(16, 24))
        if any(c.isdigit() for c in p) and any(c.isupper() for c in p) and any(c.islower() for c in p):
            return p


def jwt(payload: dict) -> str:
    header = b64url_nopad(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url_nopad(json.dumps(payload, separators=(",", ":")).encode())
    return f"{header}.{body}.{b64url_nopad(rbytes(32))}"


def pypi_token(location: str = "pypi.org") -> str:
    # libmacaroons v2: version 2, field 1 (location), length, location, field 2 (identifier), ...
    ident = json.dumps({"nonce": rs(HEX, 32), "version": 1}).encode()
    mac = bytes([2, 1, len(location)]) + location.encode() + bytes([2, len(ident)]) + ident
    mac += bytes([0, 2, 0x20]) + rbytes(32) + bytes([0, 0, 6, 0x20]) + rbytes(32)
    prefix = "pypi-"
    return prefix + b64url_nopad(mac)


def discord_bot() -> str:
    snowflake = str(R.randint(10**17, 10**18 * 9))
    first = base64.b64encode(snowflake.encode()).decode().rstrip("=")
    return f"{first}.{rs(B64URL, 6)}.{rs(B64URL, 38)}"


def azure_storage_key() -> str:
    return b64(rbytes(64))


# ---------------------------------------------------------------------------------------------
# Providers: (provider, format, env var name, generator). One line each; multi-line keys apart.
# ---------------------------------------------------------------------------------------------

PROVIDERS: list[tuple[str, str, str, Callable[[], str]]] = [
    ("github", "ghp", "GITHUB_TOKEN", lambda: checksummed("ghp")),
    ("github", "gho", "GH_OAUTH_TOKEN", lambda: checksummed("gho")),
    ("github", "ghs", "GH_APP_INSTALLATION_TOKEN", lambda: checksummed("ghs")),
    ("github", "github_pat", "GH_TOKEN", lambda: f"github_pat_11{rs(UPPER_ALNUM, 20)}_{rs(ALNUM, 59)}"),
    ("gitlab", "glpat", "GITLAB_TOKEN", lambda: f"glpat-{rs(ALNUM + '-_', 20)}"),
    ("gitlab", "glrt", "CI_RUNNER_TOKEN", lambda: f"glrt-{rs(ALNUM + '-_', 20)}"),
    ("aws", "access-key-id", "AWS_ACCESS_KEY_ID", lambda: "AKIA" + rs(BASE32, 16)),
    ("slack", "xoxb", "SLACK_BOT_TOKEN",
     lambda: f"xoxb-{R.randint(10**10, 10**12)}-{R.randint(10**11, 10**13)}-{rs(ALNUM, 24)}"),
    ("slack", "webhook", "SLACK_WEBHOOK_URL",
     lambda: f"https://hooks.slack.com/services/T{rs(UPPER_ALNUM, 10)}/B{rs(UPPER_ALNUM, 10)}/{rs(ALNUM, 24)}"),
    ("stripe", "sk_live", "STRIPE_SECRET_KEY", lambda: f"sk_live_51{rs(ALNUM, 97)}"),
    ("stripe", "rk_live", "STRIPE_RESTRICTED_KEY", lambda: f"rk_live_51{rs(ALNUM, 97)}"),
    ("openai", "sk-proj", "OPENAI_API_KEY",
     lambda: f"sk-proj-{rs(B64URL, 74)}T3BlbkFJ{rs(B64URL, 74)}"),
    ("anthropic", "sk-ant-api03", "ANTHROPIC_API_KEY", lambda: f"sk-ant-api03-{rs(B64URL, 93)}AA"),
    ("google", "api-key", "GOOGLE_MAPS_API_KEY", lambda: "AIza" + rs(B64URL, 35)),
    ("google", "oauth-client-secret", "GOOGLE_CLIENT_SECRET", lambda: "GOCSPX-" + rs(B64URL, 28)),
    ("npm", "npm_", "NPM_TOKEN", lambda: checksummed("npm")),
    ("pypi", "upload-token", "TWINE_PASSWORD", pypi_token),
    ("sendgrid", "SG", "SENDGRID_API_KEY", lambda: f"SG.{rs(B64URL, 22)}.{rs(B64URL, 43)}"),
    ("twilio", "api-key", "TWILIO_API_KEY", lambda: "SK" + rs(HEX, 32)),
    ("twilio", "auth-token", "TWILIO_AUTH_TOKEN", lambda: rs(HEX, 32)),
    ("mailgun", "key", "MAILGUN_API_KEY", lambda: "key-" + rs(HEX, 32)),
    ("mailchimp", "api-key", "MAILCHIMP_API_KEY", lambda: f"{rs(HEX, 32)}-us{R.randint(1, 21)}"),
    ("discord", "bot-token", "DISCORD_BOT_TOKEN", discord_bot),
    ("discord", "webhook", "DISCORD_WEBHOOK_URL",
     lambda: f"https://discord.com/api/webhooks/{R.randint(10**17, 10**18)}/{rs(B64URL, 68)}"),
    ("telegram", "bot-token", "TELEGRAM_BOT_TOKEN",
     lambda: f"{R.randint(10**9, 7 * 10**9)}:AA{rs(B64URL, 33)}"),
    ("shopify", "shpat", "SHOPIFY_ACCESS_TOKEN", lambda: "shpat_" + rs(HEX, 32)),
    ("shopify", "shpss", "SHOPIFY_SHARED_SECRET", lambda: "shpss_" + rs(HEX, 32)),
    ("digitalocean", "dop_v1", "DIGITALOCEAN_TOKEN", lambda: "dop_v1_" + rs(HEX, 64)),
    ("hashicorp", "vault-hvs", "VAULT_TOKEN", lambda: "hvs.CAESI" + rs(B64URL, 86)),
    ("hashicorp", "terraform-cloud", "TFE_TOKEN",
     lambda: f"{rs(ALNUM, 14)}.atlasv1.{rs(ALNUM, 67)}"),
    ("heroku", "HRKU", "HEROKU_API_KEY", lambda: "HRKU-AA" + rs(B64URL, 58)),
    ("datadog", "api-key", "DD_API_KEY", lambda: rs(HEX, 32)),
    ("newrelic", "NRAK", "NEW_RELIC_API_KEY", lambda: "NRAK-" + rs(UPPER_ALNUM, 27)),
    ("sentry", "user-token", "SENTRY_AUTH_TOKEN", lambda: "sntryu_" + rs(HEX, 64)),
    ("azure", "ad-client-secret", "AZURE_CLIENT_SECRET",
     lambda: f"{rs(ALNUM, 3)}{R.randint(0, 9)}Q~{rs(ALNUM + '_~.-', 34)}"),
    ("azure", "storage-connection-string", "AZURE_STORAGE_CONNECTION_STRING",
     lambda: f"DefaultEndpointsProtocol=https;AccountName=acme{rs(string.ascii_lowercase, 6)};"
     f"AccountKey={azure_storage_key()};EndpointSuffix=core.windows.net"),
    ("postgres", "url", "DATABASE_URL",
     lambda: f"postgresql://app_{rs(string.ascii_lowercase, 4)}:{rs(ALNUM, 22)}@db-{rs(LOWER_ALNUM, 6)}.internal.acme.io:5432/orders"),
    ("mongodb", "url", "MONGODB_URI",
     lambda: f"mongodb+srv://svc-{rs(string.ascii_lowercase, 5)}:{rs(ALNUM, 20)}@cluster0.{rs(LOWER_ALNUM, 5)}.mongodb.net/app?retryWrites=true"),
    ("supabase", "service-role-jwt", "SUPABASE_SERVICE_ROLE_KEY",
     lambda: jwt({"iss": "supabase", "ref": rs(string.ascii_lowercase, 20), "role": "service_role",
                  "iat": 1700000000 + R.randint(0, 10**7), "exp": 2000000000 + R.randint(0, 10**7)})),
    ("dockerhub", "dckr_pat", "DOCKERHUB_TOKEN", lambda: "dckr_pat_" + rs(B64URL, 27)),
    ("huggingface", "hf", "HF_TOKEN", lambda: "hf_" + rs(string.ascii_letters, 34)),
    ("groq", "gsk", "GROQ_API_KEY", lambda: "gsk_" + rs(ALNUM, 52)),
    ("linear", "lin_api", "LINEAR_API_KEY", lambda: "lin_api_" + rs(ALNUM, 40)),
    ("atlassian", "ATATT", "JIRA_API_TOKEN",
     lambda: "ATATT3xFfGF0" + rs(B64URL, 171) + "=" + rs(HEX.upper(), 8)),
    ("planetscale", "pscale_tkn", "PLANETSCALE_SERVICE_TOKEN", lambda: "pscale_tkn_" + rs(B64URL, 43)),
    ("doppler", "dp.pt", "DOPPLER_TOKEN", lambda: "dp.pt." + rs(ALNUM, 43)),
    ("postman", "PMAK", "POSTMAN_API_KEY", lambda: f"PMAK-{rs(HEX, 24)}-{rs(HEX, 34)}"),
    ("databricks", "dapi", "DATABRICKS_TOKEN", lambda: "dapi" + rs(HEX, 32)),
    ("pulumi", "pul", "PULUMI_ACCESS_TOKEN", lambda: "pul-" + rs(HEX, 40)),
    ("grafana", "glsa", "GRAFANA_SERVICE_ACCOUNT_TOKEN", lambda: f"glsa_{rs(ALNUM, 32)}_{rs(HEX, 8)}"),
    ("square", "EAAA", "SQUARE_ACCESS_TOKEN", lambda: "EAAA" + rs(B64URL, 60)),
    ("age", "secret-key", "SOPS_AGE_KEY", lambda: "AGE-SECRET-KEY-1" + rs(BECH32, 58)),
    ("cloudflare", "api-token", "CLOUDFLARE_API_TOKEN", lambda: rs(B64URL, 40)),
    ("alibaba", "LTAI", "ALIBABA_CLOUD_ACCESS_KEY_ID", lambda: "LTAI5t" + rs(ALNUM, 18)),
    ("flyio", "fo1", "FLY_API_TOKEN", lambda: "fo1_" + rs(B64URL, 43)),
    ("rubygems", "rubygems", "GEM_HOST_API_KEY", lambda: "rubygems_" + rs(HEX, 48)),
    ("airtable", "pat", "AIRTABLE_TOKEN", lambda: f"pat{rs(ALNUM, 14)}.{rs(HEX, 64)}"),
    ("figma", "figd", "FIGMA_TOKEN", lambda: "figd_" + rs(B64URL, 40)),
    ("sonarqube", "squ", "SONAR_TOKEN", lambda: "squ_" + rs(HEX, 40)),
    ("facebook", "EAA", "FB_PAGE_ACCESS_TOKEN", lambda: "EAAG" + rs(ALNUM, 180)),
    ("twitter", "bearer", "TWITTER_BEARER_TOKEN", lambda: "A" * 22 + rs(ALNUM + "%", 90)),
    ("mapbox", "sk", "MAPBOX_SECRET_TOKEN",
     lambda: "sk.eyJ1Ijoi" + b64url_nopad(json.dumps({"u": "acme-maps", "a": rs(LOWER_ALNUM, 25)}).encode())[8:] + "." + rs(B64URL, 22)),
    ("generic", "password", "DB_PASSWORD", password),
    ("generic", "password", "SMTP_PASSWORD", password),
    ("generic", "password", "REDIS_PASSWORD", password),
]

# Values that share a line's shape with a secret but are not one. (kind, name, value).
def decoys() -> list[tuple[str, str, str]]:
    fake_sha1 = rs(HEX, 40)
    return [
        ("placeholder", "GITHUB_TOKEN", "ghp_" + "x" * 36),
        ("placeholder", "STRIPE_SECRET_KEY", "sk_live_" + "X" * 24),
        ("placeholder", "OPENAI_API_KEY", "sk-..."),
        ("placeholder", "API_KEY", "YOUR_API_KEY_HERE"),
        ("placeholder", "SENDGRID_API_KEY", "<your-sendgrid-api-key>"),
        ("placeholder", "DB_PASSWORD", "changeme"),
        ("placeholder", "SLACK_BOT_TOKEN", "xoxb-your-bot-token"),
        ("placeholder", "ADMIN_PASSWORD", "********"),
        ("placeholder", "AWS_SECRET_ACCESS_KEY", "REPLACE_WITH_YOUR_SECRET_ACCESS_KEY"),
        ("placeholder", "TWILIO_AUTH_TOKEN", "your_auth_token"),
        ("docs-example", "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
        ("docs-example", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("docs-example", "STRIPE_API_KEY", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
        ("docs-example", "JWT_EXAMPLE",
         "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
        ("hash", "ASSET_SHA256", rs(HEX, 64)),
        ("hash", "GIT_COMMIT", fake_sha1),
        ("hash", "CACHE_KEY_MD5", rs(HEX, 32)),
        ("hash", "integrity", "sha512-" + b64(rbytes(64))),
        ("uuid", "REQUEST_ID", uuid4()),
        ("uuid", "TENANT_ID", uuid4()),
        ("uuid", "AZURE_CLIENT_ID", uuid4()),
        ("base64-blob", "LOGO_PNG", "iVBORw0KGgoAAAANSUhEUgAA" + b64(rbytes(48))),
        ("base64-blob", "FONT_WOFF2", "d09GMgABAAAAA" + b64(rbytes(60))),
        ("test-fixture", "TEST_API_KEY", "test-api-key"),
        ("test-fixture", "FAKE_TOKEN", "fake-token-for-tests"),
        ("test-fixture", "DUMMY_PASSWORD", "dummy"),
        ("env-ref", "GITHUB_TOKEN", "${{ secrets.GITHUB_TOKEN }}"),
        ("env-ref", "DB_PASSWORD", "${DB_PASSWORD}"),
        ("env-ref", "STRIPE_SECRET_KEY", "$STRIPE_SECRET_KEY"),
        ("env-ref", "VAULT_TOKEN", "{{ vault_token }}"),
        ("wrong-checksum", "GITHUB_TOKEN", bad_checksum("ghp")),
        ("wrong-checksum", "NPM_TOKEN", bad_checksum("npm")),
        ("wrong-checksum", "GH_OAUTH_TOKEN", bad_checksum("gho")),
        ("truncated", "GITHUB_TOKEN", "ghp_" + rs(ALNUM, 20)),
        ("truncated", "STRIPE_SECRET_KEY", "sk_live_" + rs(ALNUM, 10)),
        ("truncated", "SLACK_BOT_TOKEN", f"xoxb-{R.randint(10**10, 10**12)}-{rs(ALNUM, 6)}"),
        ("truncated", "AWS_ACCESS_KEY_ID", "AKIA" + rs(BASE32, 9)),
        ("public-id", "STRIPE_PUBLISHABLE_KEY", "pk_live_51" + rs(ALNUM, 97)),
        ("public-id", "GOOGLE_CLIENT_ID", f"{R.randint(10**11, 10**12)}-{rs(LOWER_ALNUM, 32)}.apps.googleusercontent.com"),
        ("public-id", "ALGOLIA_APP_ID", rs(UPPER_ALNUM, 10)),
        ("public-id", "SENTRY_ENVIRONMENT", "production"),
        ("config-name", "SECRET_NAME", "prod/orders/db-credentials"),
        ("config-name", "TOKEN_TYPE", "Bearer"),
        ("config-name", "PASSWORD_RESET_URL", "https://app.acme.io/account/reset-password"),
    ]


# ---------------------------------------------------------------------------------------------
# File kinds: how one NAME=value assignment is written in each.
# ---------------------------------------------------------------------------------------------

def camel(name: str) -> str:
    parts = name.lower().split("_")
    return parts[0] + "".join(p.title() for p in parts[1:])


def assign(kind: str, name: str, value: str) -> str:
    esc = value.replace("\\", "\\\\").replace('"', '\\"')
    if kind == "env":
        return f"{name}={value}"
    if kind == "py":
        return f'{name} = "{esc}"'
    if kind == "js":
        return f'const {camel(name)} = "{esc}";'
    if kind == "ts":
        return f'export const {name}: string = "{esc}";'
    if kind == "go":
        return f'\t{camel(name)} = "{esc}"'
    if kind == "java":
        return f'    private static final String {name} = "{esc}";'
    if kind == "rb":
        return f"  config.{name.lower()} = '{value}'"
    if kind == "properties":
        return f"app.{name.lower().replace('_', '.')}={value}"
    if kind == "yaml":
        return f"  {name.lower()}: \"{esc}\""
    if kind == "compose":
        return f"      - {name}={value}"
    if kind == "gha":
        # Unquoted YAML scalars cannot start with an indicator (`*` is an alias, `~` null, ...):
        # people quote those, so the generator does too.
        if value[:1] in "*&!|>'\"%@`#~{[,?:-":
            return f"      {name}: \"{esc}\""
        return f"      {name}: {value}"
    if kind == "gitlab":
        return f"  {name}: \"{esc}\""
    if kind == "k8s":
        return f"  {name}: \"{esc}\""
    if kind == "tf":
        return f'  {name.lower()} = "{esc}"'
    if kind == "md":
        return f"export {name}={value}"
    if kind == "ipynb":
        src = f'os.environ["{name}"] = "{esc}"\n'
        return "    " + json.dumps(src) + ","
    if kind == "json":
        return f'    "{name.lower()}": {json.dumps(value)},'
    if kind == "sh":
        return f'export {name}="{esc}"'
    raise ValueError(kind)


FILLER = {
    "env": ["NODE_ENV=production", "PORT=8080", "LOG_LEVEL=info", "FEATURE_FLAGS=checkout_v2,search",
            "# service configuration", "TZ=UTC", "WORKERS=4", "REDIS_HOST=redis.internal"],
    "py": ["import os", "import logging", "", "logger = logging.getLogger(__name__)", "DEBUG = False",
           "ALLOWED_HOSTS = [\"api.acme.io\", \"localhost\"]", "TIME_ZONE = \"UTC\"",
           "def get_timeout():", "    return int(os.environ.get(\"TIMEOUT\", \"30\"))", "CACHE_TTL = 300"],
    "js": ["'use strict';", "const express = require('express');", "const app = express();",
           "app.use(express.json());", "const PORT = process.env.PORT || 3000;",
           "function retry(fn, n = 3) { return fn().catch((e) => (n ? retry(fn, n - 1) : Promise.reject(e))); }",
           "module.exports = { app };"],
    "ts": ["import { Injectable } from '@nestjs/common';", "export const REGION = 'eu-west-1';",
           "export interface Settings { region: string; timeoutMs: number }", "export const TIMEOUT_MS = 5000;"],
    "go": ["package config", "", "import \"os\"", "var (", ")", "func Port() string { return os.Getenv(\"PORT\") }",
           "// Region is where the service runs.", "const Region = \"eu-west-1\""],
    "java": ["package io.acme.orders.config;", "", "import java.time.Duration;", "public final class Settings {",
             "    public static final Duration TIMEOUT = Duration.ofSeconds(30);", "    private Settings() {}", "}"],
    "rb": ["Rails.application.configure do", "  config.cache_classes = true", "  config.log_level = :info", "end"],
    "properties": ["server.port=8080", "spring.application.name=orders", "logging.level.root=INFO",
                   "spring.jpa.hibernate.ddl-auto=validate", "management.endpoints.web.exposure.include=health"],
    "yaml": ["app:", "  name: orders", "  replicas: 3", "  region: eu-west-1", "  timeout_seconds: 30"],
    "compose": ["version: \"3.9\"", "services:", "  api:", "    image: acme/orders:1.4.2", "    ports:",
                "      - \"8080:8080\"", "    environment:"],
    "gha": ["name: deploy", "on:", "  push:", "    branches: [main]", "jobs:", "  deploy:",
            "    runs-on: ubuntu-latest", "    env:"],
    "gitlab": ["stages: [build, test, deploy]", "variables:", "  DOCKER_DRIVER: overlay2"],
    "k8s": ["apiVersion: v1", "kind: Secret", "metadata:", "  name: orders-secrets", "  namespace: prod",
            "type: Opaque", "stringData:"],
    "tf": ["provider \"aws\" {", "  region = \"eu-west-1\"", "}", "resource \"null_resource\" \"cfg\" {"],
    "md": ["# Setup", "", "Install the dependencies and run the service:", "", "```sh", "make run", "```", ""],
    "ipynb": ["{", " \"cells\": [", "  {", "   \"cell_type\": \"code\",", "   \"metadata\": {},", "   \"source\": ["],
    "json": ["{", "    \"service\": \"orders\",", "    \"region\": \"eu-west-1\","],
    "sh": ["#!/usr/bin/env bash", "set -euo pipefail", "cd \"$(dirname \"$0\")\""],
}

FILE_NAMES = {
    "env": [".env", ".env.production", "deploy/.env.staging"],
    "py": ["app/settings.py", "scripts/sync_crm.py", "etl/config.py"],
    "js": ["src/config.js", "server/integrations.js"],
    "ts": ["src/env.ts", "libs/clients/keys.ts"],
    "go": ["internal/config/secrets.go", "cmd/worker/config.go"],
    "java": ["src/main/java/io/acme/orders/config/Keys.java"],
    "rb": ["config/environments/production.rb"],
    "properties": ["src/main/resources/application-prod.properties"],
    "yaml": ["config/settings.yaml", "helm/values-prod.yaml"],
    "compose": ["docker-compose.yml", "docker-compose.prod.yml"],
    "gha": [".github/workflows/deploy.yml", ".github/workflows/release.yml"],
    "gitlab": [".gitlab-ci.yml"],
    "k8s": ["k8s/secret.yaml", "deploy/k8s/api-secrets.yaml"],
    "tf": ["infra/main.tf"],
    "md": ["docs/setup.md", "README.md"],
    "ipynb": ["notebooks/analysis.ipynb", "notebooks/exploration.ipynb"],
    "json": ["config/credentials.json"],
    "sh": ["scripts/deploy.sh"],
}

# Files whose tail must close what the head opened.
CLOSERS = {
    "ipynb": ["    \"print('ok')\\n\"", "   ]", "  }", " ],", " \"metadata\": {\"kernelspec\": {\"name\": \"python3\"}},",
              " \"nbformat\": 4,", " \"nbformat_minor\": 5", "}"],
    "json": ["    \"version\": 3", "}"],
    "go": [")"],
    "java": ["}"],
    "rb": ["end"],
    "tf": ["}"],
}


@dataclass
class FileBuf:
    path: str
    kind: str
    lines: list[str] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)

    def filler(self, n: int = 1) -> None:
        for _ in range(n):
            self.lines.append(R.choice(FILLER[self.kind]))

    def add(self, text_lines: list[str], provider: str, fmt: str, is_secret: bool, kind: str) -> None:
        start = len(self.lines) + 1
        self.lines.extend(text_lines)
        self.labels.append({"file": self.path, "line": start, "end_line": start + len(text_lines) - 1,
                            "provider": provider, "format": fmt, "is_secret": is_secret, "kind": kind})


# ---------------------------------------------------------------------------------------------
# Private keys: real keys, made by openssl and ssh-keygen, never used for anything.
# ---------------------------------------------------------------------------------------------

def run(cmd: list[str]) -> str | None:
    try:
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def private_keys(tmp: str) -> list[tuple[str, str]]:
    keys = []
    if shutil.which("openssl"):
        for fmt, cmd in [
            ("rsa-pkcs1", ["openssl", "genrsa", "-traditional", "2048"]),
            ("ec", ["openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout"]),
            ("pkcs8", ["openssl", "genpkey", "-algorithm", "ed25519"]),
            ("pkcs8-rsa", ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
        ]:
            out = run(cmd)
            if out:
                keys.append((fmt, out.strip()))
    if shutil.which("ssh-keygen"):
        path = os.path.join(tmp, f"id_{R.randint(0, 10**9)}")
        if run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy@acme", "-f", path]) is not None:
            with open(path) as f:
                keys.append(("openssh", f.read().strip()))
    return keys


def public_material() -> list[tuple[str, str]]:
    """Public keys and certificates: key-shaped, not secret."""
    out = []
    key = run(["openssl", "genrsa", "2048"])
    if key:
        p = subprocess.run(["openssl", "pkey", "-pubout"], input=key, capture_output=True, text=True)
        if p.returncode == 0:
            out.append(("public-key", p.stdout.strip()))
        c = subprocess.run(["openssl", "req", "-new", "-x509", "-key", "/dev/stdin", "-subj", "/CN=acme.test",
                            "-days", "30"], input=key, capture_output=True, text=True)
        if c.returncode == 0:
            out.append(("certificate", c.stdout.strip()))
    return out


# ---------------------------------------------------------------------------------------------

def build(out: str, seed: int, services: int) -> list[dict]:
    R.seed(seed)
    tmp = tempfile.mkdtemp()
    names = ["orders", "billing", "search", "notify", "auth", "catalog", "reports", "gateway", "mobile-bff",
             "etl", "ml-pipeline", "infra", "shipping", "crm-sync", "analytics", "support"]
    svcs = names[:services]
    files: dict[str, FileBuf] = {}

    def add_file(fb: FileBuf) -> None:
        # Two writers of one path would silently drop the first one's labels.
        if fb.path in files:
            raise RuntimeError(f"{fb.path} generated twice")
        files[fb.path] = fb

    def get_file(svc: str, kind: str) -> FileBuf:
        path = f"{svc}/{R.choice(FILE_NAMES[kind])}"
        if path not in files:
            fb = FileBuf(path, kind)
            if kind in ("ipynb", "compose", "gha", "k8s", "gitlab", "json", "yaml"):
                fb.lines = list(FILLER[kind])
            elif kind == "go":
                fb.lines = ["package config", "", "var ("]
            elif kind == "java":
                fb.lines = ["package io.acme.config;", "", "public final class Keys {"]
            elif kind == "rb":
                fb.lines = ["Rails.application.configure do"]
            elif kind == "tf":
                fb.lines = ["locals {"]
            else:
                fb.filler(R.randint(1, 3))
            add_file(fb)
        return files[path]

    # Kinds whose body lines must stay well-formed (no free-form filler in the middle).
    structured = {"ipynb", "json", "compose", "gha", "k8s", "gitlab", "go", "java", "rb", "tf", "yaml"}
    kinds = list(FILE_NAMES)

    def place(name: str, value: str, provider: str, fmt: str, is_secret: bool, label_kind: str) -> None:
        kind = R.choice(kinds)
        fb = get_file(R.choice(svcs), kind)
        if kind not in structured:
            fb.filler(R.randint(0, 2))
        fb.add([assign(kind, name, value)], provider, fmt, is_secret, label_kind)

    # Secrets: every provider format 3-5 times, each in a random file kind and service.
    for provider, fmt, name, gen in PROVIDERS:
        for _ in range(R.randint(3, 5)):
            place(name, gen(), provider, fmt, True, "secret")

    # AWS key pairs: the key id and the secret on adjacent lines are ONE credential (neither works
    # without the other), so one label spans both lines and a finding on either line finds it.
    for i in range(4):
        fb = get_file(svcs[i % len(svcs)], "env")
        fb.lines.append("")
        fb.add([f"AWS_ACCESS_KEY_ID={'AKIA' + rs(BASE32, 16)}", f"AWS_SECRET_ACCESS_KEY={rs(B64, 40)}"],
               "aws", "key-pair", True, "secret")
    for i in range(2):
        path = f"{svcs[(i + 3) % len(svcs)]}/deploy/aws/credentials"
        fb = FileBuf(path, "raw")
        fb.lines = ["[default]", "region = eu-west-1"]
        fb.add([f"aws_access_key_id = {'AKIA' + rs(BASE32, 16)}", f"aws_secret_access_key = {rs(B64, 40)}"],
               "aws", "key-pair", True, "secret")
        add_file(fb)

    # Docker registry auth and .npmrc tokens: base64(user:password) and legacy UUID tokens.
    for i in range(3):
        svc = svcs[(i * 5) % len(svcs)]
        fb = FileBuf(f"{svc}/.docker/config.json", "raw")
        fb.lines = ["{", "  \"auths\": {"]
        auth = b64(f"deployer:{password()}".encode())
        fb.add([f"    \"registry.acme.io\": {{ \"auth\": \"{auth}\" }}"], "docker", "config-auth", True, "secret")
        fb.lines += ["  }", "}"]
        add_file(fb)
        fb = FileBuf(f"{svc}/.npmrc", "raw")
        fb.lines = ["registry=https://registry.npmjs.org/"]
        if i % 2 == 0:
            fb.add([f"//registry.npmjs.org/:_authToken={checksummed('npm')}"], "npm", "npm_", True, "secret")
        else:
            fb.add([f"//registry.npmjs.org/:_authToken={uuid4()}"], "npm", "legacy-uuid", True, "secret")
        fb.lines.append("always-auth=true")
        add_file(fb)

    # Kubernetes Secret with base64 `data:`: a real secret, only visible after decoding.
    for i in range(3):
        svc = svcs[(i * 3 + 1) % len(svcs)]
        fb = FileBuf(f"{svc}/k8s/db-secret.yaml", "raw")
        fb.lines = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: db", "type: Opaque"]
        # The whole `data:` map is the secret material (base64, not encryption): one label for it.
        fb.add(["data:", f"  username: {b64(b'orders_app')}", f"  password: {b64(password().encode())}"],
               "generic", "k8s-base64-password", True, "secret")
        add_file(fb)

    # Private keys: key files, JSON with \n escapes (GCP service accounts), YAML block scalars.
    keys = private_keys(tmp)
    for j, (fmt, pem) in enumerate(keys * 2):
        svc = svcs[(j * 7) % len(svcs)]
        mode = j % 3
        if mode == 0:
            name = "id_ed25519" if fmt == "openssh" else f"deploy_{fmt}.pem"
            fb = FileBuf(f"{svc}/deploy/keys/{name}", "raw")
            fb.add(pem.splitlines(), "private-key", fmt, True, "secret")
        elif mode == 1:
            fb = FileBuf(f"{svc}/config/service-account-{j}.json", "raw")
            fb.lines = ["{", "  \"type\": \"service_account\",", "  \"project_id\": \"acme-prod\",",
                        f"  \"private_key_id\": \"{rs(HEX, 40)}\","]
            pemkey = run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]) or pem
            fb.add([f"  \"private_key\": {json.dumps(pemkey.strip() + chr(10))},"], "gcp", "service-account", True, "secret")
            fb.lines += [f"  \"client_email\": \"etl@acme-prod.iam.gserviceaccount.com\",",
                         f"  \"client_id\": \"{R.randint(10**20, 10**21)}\",",
                         "  \"token_uri\": \"https://oauth2.googleapis.com/token\"", "}"]
        else:
            fb = FileBuf(f"{svc}/k8s/tls-{j}.yaml", "raw")
            fb.lines = ["apiVersion: v1", "kind: Secret", "metadata:", "  name: sftp-key", "stringData:"]
            body = ["  key.pem: |"] + ["    " + ln for ln in pem.splitlines()]
            fb.add(body, "private-key", fmt, True, "secret")
        add_file(fb)

    # Decoys: each 3 times in random places.
    for _ in range(3):
        for kind, name, value in decoys():
            place(name, value, "decoy", kind, False, kind)
    # Decoy keys: public keys, certificates, and documentation that elides the key body.
    for j, (fmt, text) in enumerate(public_material() * 2):
        fb = FileBuf(f"{svcs[j % len(svcs)]}/certs/{fmt}-{j}.pem", "raw")
        fb.add(text.splitlines(), "decoy", fmt, False, fmt)
        add_file(fb)
    for j in range(2):
        fb = FileBuf(f"{svcs[(j + 2) % len(svcs)]}/docs/keys.md", "raw")
        fb.lines = ["# Deploy keys", "", "Put the key in `deploy/keys/` like this:", "", "```"]
        fb.add(["-----BEGIN RSA PRIVATE KEY-----", "<paste your private key here>", "-----END RSA PRIVATE KEY-----"],
               "decoy", "pem-placeholder", False, "placeholder")
        fb.lines.append("```")
        add_file(fb)

    labels = []
    for path, fb in sorted(files.items()):
        if fb.kind in CLOSERS:
            fb.lines.extend(CLOSERS[fb.kind])
        elif fb.kind not in structured and fb.kind != "raw":
            fb.filler(R.randint(1, 3))
        full = os.path.join(out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write("\n".join(fb.lines) + "\n")
        labels.extend(fb.labels)
    shutil.rmtree(tmp, ignore_errors=True)
    return labels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--services", type=int, default=12)
    args = ap.parse_args()
    if os.path.exists(args.out) and os.listdir(args.out):
        print(f"{args.out} exists and is not empty; remove it first", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    labels = build(args.out, args.seed, max(1, min(args.services, 16)))
    with open(os.path.join(args.out, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1)
    secrets = [l for l in labels if l["is_secret"]]
    providers = {l["provider"] for l in secrets}
    print(f"{len(labels)} labels: {len(secrets)} secrets from {len(providers)} providers, "
          f"{len(labels) - len(secrets)} decoys, in {len({l['file'] for l in labels})} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
