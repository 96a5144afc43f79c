//! The budgetrad server. `cargo run --release` serves on 127.0.0.1:50051 with
//! a SQLite database `budgetrad.db` in the working directory; `budgetrad
//! seed …` and `budgetrad token …` are operator tasks on the server's host
//! instead (see README.md).

use std::process::ExitCode;

use clap::Parser;

use budgetrad::config::ServerCli;

/// mimalloc instead of glibc malloc: see the README's dependency list.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = ServerCli::parse();
    if let Some(command) = &cli.command {
        return match budgetrad::ops::run(command).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(error.exit_code())
            }
        };
    }
    let config = cli.config;
    budgetrad::telemetry::init(config.log_format);
    match budgetrad::startup::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                "budgetrad stopped with an error"
            );
            eprintln!("budgetrad: {error:#}");
            ExitCode::FAILURE
        }
    }
}
