//! The `palisade` command line.
//!
//! [`run`] is the whole program minus process setup: it takes the arguments and the output
//! streams and returns the exit code, so tests drive the CLI in-process and check exit codes and
//! output exactly as a user would see them.
//!
//! Exit codes: 0 = ran, nothing at or above `--fail-on`; 1 = findings at or above `--fail-on`;
//! 2 = error (bad flags, missing target, malformed input). Errors are one line on stderr.

mod commands;
mod datadir;
mod progress;

use std::ffi::OsString;
use std::io::Write;

use clap::{Parser, Subcommand};

pub use commands::db::DbArgs;
pub use commands::scan::ScanArgs;
pub use commands::server::TokenArgs;
pub use commands::test_rules::TestRulesArgs;
pub use commands::web::WebArgs;

/// Exit code: the run completed and nothing reached the failure threshold.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: the run could not be done as asked.
pub const EXIT_ERROR: i32 = 2;

/// Where the program writes, and whether each stream is a terminal.
pub struct Io<'a> {
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
}

#[derive(Debug, Parser)]
#[command(
    name = "palisade",
    version,
    about = "Application security scanning: code, secrets, dependencies, images and web targets.",
    propagate_version = true,
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan a directory, a file or a live URL and report findings.
    Scan(Box<ScanArgs>),
    /// Check SAST rules against their annotated test files (the `semgrep --test` convention).
    TestRules(TestRulesArgs),
    /// Manage the offline OSV advisory database (import, update, status).
    Db(DbArgs),
    /// Web target helpers (ownership verification tokens).
    Web(WebArgs),
    /// Run the REST API, dashboard and in-process scan workers.
    Serve(Box<palisade_server::ServeArgs>),
    /// Run scan workers only (scale out over PostgreSQL).
    Worker(Box<palisade_server::WorkerArgs>),
    /// Apply database migrations and exit.
    Migrate(palisade_server::MigrateArgs),
    /// API tokens, offline.
    Token(TokenArgs),
}

/// Runs the program with `args` (the first is the program name) and returns the exit code.
pub fn run<I, T>(args: I, io: &mut Io<'_>) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = write!(io.stdout, "{}", e.render());
                    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                        EXIT_ERROR
                    } else {
                        EXIT_OK
                    }
                }
                _ => {
                    // clap's message names the flag and the problem; keep its first line only,
                    // the usage hint goes on the next lines.
                    let rendered = e.render().to_string();
                    let mut lines = rendered.lines().filter(|l| !l.trim().is_empty());
                    let first = lines.next().unwrap_or("invalid arguments");
                    let _ = writeln!(
                        io.stderr,
                        "palisade: {}",
                        first.trim_start_matches("error: ")
                    );
                    let _ = writeln!(io.stderr, "(run `palisade --help` for usage)");
                    EXIT_ERROR
                }
            };
        }
    };
    let result = match cli.command {
        Command::Scan(args) => commands::scan::run(&args, io),
        Command::TestRules(args) => commands::test_rules::run(&args, io),
        Command::Db(args) => commands::db::run(&args, io),
        Command::Web(args) => commands::web::run(&args, io),
        Command::Serve(args) => commands::server::serve(*args),
        Command::Worker(args) => commands::server::worker(*args),
        Command::Migrate(args) => commands::server::migrate(args),
        Command::Token(args) => commands::server::token(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(io.stderr, "palisade: {}", one_line(&format!("{e:#}")));
            EXIT_ERROR
        }
    }
}

/// Errors are reported on one line: chained causes are joined, newlines flattened.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
