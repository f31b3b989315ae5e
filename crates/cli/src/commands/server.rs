//! `palisade serve`, `worker`, `migrate` and `token create`: the platform, from `palisade-server`.

use anyhow::Result;
pub use palisade_server::{MigrateArgs, ServeArgs, TokenCreateArgs, WorkerArgs};

use crate::EXIT_OK;

#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create an admin API token offline and print it once (it is stored only as a hash).
    Create(TokenCreateArgs),
}

pub(crate) fn serve(args: ServeArgs) -> Result<i32> {
    palisade_server::run_serve(args)?;
    Ok(EXIT_OK)
}

pub(crate) fn worker(args: WorkerArgs) -> Result<i32> {
    palisade_server::run_worker(args)?;
    Ok(EXIT_OK)
}

pub(crate) fn migrate(args: MigrateArgs) -> Result<i32> {
    palisade_server::run_migrate(args)?;
    Ok(EXIT_OK)
}

pub(crate) fn token(args: TokenArgs) -> Result<i32> {
    match args.command {
        TokenCommand::Create(a) => palisade_server::run_token_create(a)?,
    }
    Ok(EXIT_OK)
}
