//! Server configuration, from flags or `BUDGETRAD_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// budgetrad: the gRPC service for household budgets, försörjningsstöd and
/// eviction prevention.
#[derive(Clone, Parser)]
#[command(name = "budgetrad", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BUDGETRAD_LISTEN", default_value = "127.0.0.1:50051")]
    pub listen: SocketAddr,

    /// Database URL: `sqlite:FILE` (created if missing) or `postgres://…`.
    #[arg(
        long,
        env = "BUDGETRAD_DATABASE_URL",
        default_value = "sqlite:budgetrad.db",
        hide_env_values = true
    )]
    pub database_url: String,

    /// Log format.
    #[arg(long, env = "BUDGETRAD_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    /// The file of accepted bearer tokens (SHA-256 hashes with roles). Created
    /// with one bootstrap token on first start.
    #[arg(
        long,
        env = "BUDGETRAD_TOKENS_FILE",
        default_value = "budgetrad-tokens.toml"
    )]
    pub tokens_file: PathBuf,

    /// Where the bootstrap token's secret is written on first start (mode 0600).
    #[arg(
        long,
        env = "BUDGETRAD_ADMIN_TOKEN_FILE",
        default_value = "budgetrad-admin.token"
    )]
    pub admin_token_file: PathBuf,

    /// Most `budgetrad.v1` calls in flight at once; more are refused with
    /// RESOURCE_EXHAUSTED rather than queued.
    #[arg(long, env = "BUDGETRAD_MAX_CONCURRENT_CALLS", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrent_calls: u32,

    /// Longest a call may run, in seconds: a client's deadline is honoured,
    /// capped at this.
    #[arg(long, env = "BUDGETRAD_MAX_CALL_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_call_seconds: u64,

    /// Largest request message accepted, in bytes.
    #[arg(long, env = "BUDGETRAD_MAX_MESSAGE_BYTES", default_value_t = 4 * 1024 * 1024)]
    pub max_message_bytes: usize,
}

impl std::fmt::Debug for Config {
    // The database URL may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("log_format", &self.log_format)
            .field("tokens_file", &self.tokens_file)
            .field("admin_token_file", &self.admin_token_file)
            .field("max_message_bytes", &self.max_message_bytes)
            .field("max_concurrent_calls", &self.max_concurrent_calls)
            .field("max_call_seconds", &self.max_call_seconds)
            .finish_non_exhaustive()
    }
}
