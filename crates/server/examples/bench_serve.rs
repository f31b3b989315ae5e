//! `palisade serve` for the benchmarks, until the CLI exposes it (same arguments).
use clap::Parser;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    serve: palisade_server::ServeArgs,
}

fn main() -> anyhow::Result<()> {
    palisade_server::run_serve(Cli::parse().serve)
}
