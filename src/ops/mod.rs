//! The server binary's operator tasks, run on the server's host instead of
//! serving: `budgetrad migrate` applies the migrations and exits,
//! `budgetrad seed …` fills an empty database with a synthetic
//! municipality, and `budgetrad token create | list | revoke` edits the
//! server's token file. They touch what only the server's host holds (the
//! database, the token file), which is why they are not in the gRPC client
//! `budgetrad-cli`.
//!
//! Exit codes as the CLI's: 0 on success; 2 when the arguments or a file
//! given are at fault; 1 when the work itself failed.

mod migrate;
mod seed;
mod tokens;

use std::io::Write as _;

use clap::Subcommand;
use serde::Serialize;

pub use migrate::MigrateArgs;
pub use seed::SeedArgs;
pub use tokens::TokenCommand;

/// The subcommands of `budgetrad`; without one, it serves.
#[derive(Clone, Subcommand)]
pub enum ServerCommand {
    /// Applies the database migrations and exits.
    ///
    /// Run it as the schema's owner (on PostgreSQL, the URL the server gets
    /// as --migrate-database-url), then grant the serving role its rights
    /// (docs/postgres-app-role.sql) before the server first starts.
    Migrate(MigrateArgs),
    /// Fills an empty database with a synthetic municipality for benchmarks
    /// and demos.
    ///
    /// Households (fictional, SYNTETISK-…), leases, and months of
    /// rent payouts, receipts and reversals. Writes straight to the
    /// database, past the API and its audit trail; refuses a database that
    /// already holds households. Ends by refreshing the planner's
    /// statistics (VACUUM (ANALYZE) on PostgreSQL, ANALYZE on SQLite).
    Seed(SeedArgs),
    /// Bearer tokens in the server's token file: create, list, revoke.
    Token(TokenCommand),
}

/// Why an operator task stopped, and so its exit code.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// Bad arguments or an unusable file: exit 2.
    #[error("{0}")]
    Usage(String),
    /// The work failed: exit 1.
    #[error("{0}")]
    Failed(String),
}

impl OpsError {
    pub fn exit_code(&self) -> u8 {
        match self {
            OpsError::Usage(_) => 2,
            OpsError::Failed(_) => 1,
        }
    }
}

/// Runs one operator task.
pub async fn run(command: &ServerCommand) -> Result<(), OpsError> {
    match command {
        ServerCommand::Migrate(args) => migrate::run(args).await,
        ServerCommand::Seed(args) => seed::run(args).await,
        ServerCommand::Token(command) => tokens::run(command),
    }
}

/// Writes to standard output; a closed pipe (`| head`) is the reader's
/// choice, not a failure.
fn print(text: &str) -> Result<(), OpsError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(OpsError::Failed(format!("cannot write the output: {e}"))),
    }
}

/// A value as pretty JSON with a final newline.
fn json<T: Serialize>(value: &T) -> Result<String, OpsError> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| OpsError::Failed(format!("cannot write JSON: {e}")))
}
