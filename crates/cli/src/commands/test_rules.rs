//! `palisade test-rules`: check SAST rules against their annotated test files, the
//! `semgrep --test` convention (same JSON shape with `--json`).

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::{EXIT_FINDINGS, EXIT_OK, Io};

#[derive(Debug, clap::Args)]
pub struct TestRulesArgs {
    /// Rule files or directories of rule files; each `<stem>.yaml` is tested against the files
    /// named `<stem>.<ext>` next to it.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Print the result as JSON in the shape of `semgrep --test --json`.
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn run(args: &TestRulesArgs, io: &mut Io<'_>) -> Result<i32> {
    for path in &args.paths {
        if !path.exists() {
            bail!("{} does not exist", path.display());
        }
    }
    let report = palisade_sast::testing::run(&args.paths);
    if args.json {
        let mut s = serde_json::to_string_pretty(&report)?;
        s.push('\n');
        io.stdout.write_all(s.as_bytes())?;
    } else {
        io.stdout.write_all(report.human().as_bytes())?;
    }
    Ok(if report.passed() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}
