//! Throughput of `SecretsScanner::scan` over a generated corpus of a few megabytes: a realistic
//! mix of source, configuration, lockfile-like JSON and documentation, with a secret now and
//! then. Run with `cargo bench -p palisade-secrets --bench scan`; criterion prints MB/s.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade_secrets::SecretsScanner;

/// Deterministic pseudo-random numbers (xorshift), so every run scans the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn token(&mut self, len: usize) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| char::from(ALNUM[(self.next() % 62) as usize]))
            .collect()
    }
}

const PYTHON: &[&str] = &[
    "def handle_request(request, token=None):\n    user = authenticate(request.headers.get(\"Authorization\"))\n    if not user:\n        raise PermissionDenied(\"invalid token\")\n    return render(request, \"index.html\", {\"user\": user})\n\n",
    "class PasswordResetForm(forms.Form):\n    password = forms.CharField(widget=forms.PasswordInput)\n    password_confirm = forms.CharField(widget=forms.PasswordInput)\n\n",
    "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\nDATABASE_URL = os.getenv(\"DATABASE_URL\", \"sqlite:///db.sqlite3\")\n\n",
    "for i, item in enumerate(items):\n    total += item.price * item.quantity\n    logger.debug(\"item %s total %s\", i, total)\n\n",
];
const JS: &[&str] = &[
    "export async function fetchUser(id) {\n  const res = await fetch(`/api/users/${id}`, { headers: { Authorization: `Bearer ${getToken()}` } });\n  if (!res.ok) throw new Error(res.statusText);\n  return res.json();\n}\n\n",
    "const config = {\n  apiUrl: process.env.API_URL,\n  timeout: 5000,\n  retries: 3,\n  secretName: \"prod/api\",\n};\n\n",
    "!function(e,t){\"object\"==typeof exports?module.exports=t():e.lib=t()}(this,function(){return function(n){return n.map(function(x){return x*2})}});\n",
];
const CONFIG: &[&str] = &[
    "server:\n  port: 8080\n  host: 0.0.0.0\nlogging:\n  level: info\n  format: json\ndatabase:\n  host: db.internal\n  password: ${DB_PASSWORD}\n\n",
    "[package]\nname = \"service\"\nversion = \"1.2.3\"\n\n[dependencies]\nserde = \"1\"\ntokio = { version = \"1\", features = [\"full\"] }\n\n",
    "{\n  \"name\": \"left-pad\",\n  \"version\": \"1.3.0\",\n  \"resolved\": \"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz\",\n  \"integrity\": \"sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQhxlVvNkz0ADvrnDtwQPQEgl/9BXYnhcRWAgxQAqdMwrfvA==\"\n},\n",
];
const DOCS: &[&str] = &[
    "## Configuration\n\nSet `API_TOKEN` in your environment before running the service. Tokens expire after 30 days; rotate them from the dashboard.\n\n",
    "The password policy requires at least 12 characters. See https://docs.example.com/security for details on secret storage.\n\n",
];

fn corpus(target_bytes: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng(0x5eed_cafe);
    let mut files = Vec::new();
    let mut total = 0;
    while total < target_bytes {
        let kind = rng.next() % 10;
        let parts = match kind {
            0..=3 => PYTHON,
            4..=6 => JS,
            7..=8 => CONFIG,
            _ => DOCS,
        };
        let mut file = String::new();
        let size = 2_000 + (rng.next() % 30_000) as usize;
        while file.len() < size {
            file.push_str(rng.pick(parts));
            // About one secret per 50 KB, in the forms people leak them.
            if rng.next().is_multiple_of(60) {
                let secret = match rng.next() % 4 {
                    0 => format!("STRIPE_KEY = \"sk_live_{}\"\n", rng.token(32)),
                    1 => format!("AWS_ACCESS_KEY_ID=AKIA{}\n", rng.token(16).to_uppercase()),
                    2 => format!("db_password = \"{}\"\n", rng.token(20)),
                    _ => format!(
                        "SLACK = \"xoxb-{}-{}-{}\"\n",
                        123_456_789_012u64,
                        987_654_321_098u64,
                        rng.token(24)
                    ),
                };
                file.push_str(&secret);
            }
        }
        total += file.len();
        files.push(file.into_bytes());
    }
    files
}

fn bench_scan(c: &mut Criterion) {
    let scanner = SecretsScanner::builtin().expect("built-in rules");
    let files = corpus(4 * 1024 * 1024);
    let bytes: usize = files.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("secrets");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("scan_mixed_corpus_4mb", |b| {
        b.iter(|| {
            let mut n = 0;
            for (i, f) in files.iter().enumerate() {
                n += scanner.scan(&format!("file{i}"), f).len();
            }
            n
        });
    });
    group.bench_function("load_builtin_rules", |b| {
        b.iter(|| SecretsScanner::builtin().map(|s| s.rules().len()));
    });
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
