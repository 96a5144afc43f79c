//! The server binary's command line: without a subcommand it serves, with
//! its configuration from flags or `BUDGETRAD_*` environment variables; with
//! one it runs an operator task ([`crate::ops`]) instead.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, ValueEnum};

use crate::app::{DEFAULT_PAYMENT_BATCH_MAX, PaymentSettings};
use crate::domain::ledger::DEFAULT_MAX_PAYOUT_KR;
use crate::domain::payment::pain001::{Debtor, Pain001Version};
use crate::ops::ServerCommand;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// budgetrad: the gRPC service for household budgets, försörjningsstöd and
/// eviction prevention.
#[derive(Clone, Parser)]
#[command(
    name = "budgetrad",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct ServerCli {
    #[command(flatten)]
    pub config: Config,
    /// An operator task to run instead of serving.
    #[command(subcommand)]
    pub command: Option<ServerCommand>,
}

/// How the server serves.
#[derive(Clone, Args)]
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

    /// The URL migrations run over, the schema's owner (PostgreSQL):
    /// [default: --database-url]. With it, --database-url may name a role
    /// that can only read and append to the ledger and audit tables
    /// (docs/postgres-app-role.sql), and the serving pool runs no migration.
    #[arg(
        long,
        env = "BUDGETRAD_MIGRATE_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub migrate_database_url: Option<String>,

    /// A PostgreSQL streaming replica of --database-url for reads that may
    /// be a few seconds old: rent checks (unary and stream), lists and
    /// exports. Everything that decides a write, and every audit row, stays
    /// on the primary. Skipped for the primary while it is down or lags.
    #[arg(
        long,
        env = "BUDGETRAD_READ_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub read_database_url: Option<String>,

    /// The most a read replica may lag behind the primary, in seconds,
    /// before its reads go to the primary (checked every second).
    #[arg(long, env = "BUDGETRAD_MAX_REPLICA_LAG_SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub max_replica_lag_seconds: u64,

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

    /// Rent-check streams (`CheckRentPaidStream`) at once; more are refused
    /// with RESOURCE_EXHAUSTED. Each holds a few thousand items in memory.
    #[arg(long, env = "BUDGETRAD_MAX_RENT_CHECK_STREAMS", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_rent_check_streams: u32,

    /// Calls in flight of any one caller (token or certificate) [default: a
    /// quarter of --max-concurrent-calls]; more are refused with
    /// RESOURCE_EXHAUSTED and a RetryInfo.
    #[arg(long, env = "BUDGETRAD_MAX_CALLS_PER_CALLER", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_calls_per_caller: Option<u32>,

    /// Rent-check streams of any one caller at once [default: a quarter of
    /// --max-rent-check-streams].
    #[arg(long, env = "BUDGETRAD_MAX_RENT_CHECK_STREAMS_PER_CALLER", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_rent_check_streams_per_caller: Option<u32>,

    /// Connections open at once; one more is closed as soon as it is
    /// accepted. Lowered to what the open-file limit allows, which the
    /// server raises to its hard limit at start.
    #[arg(long, env = "BUDGETRAD_MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,

    /// Seconds a connection may stay silent: a new one must send its first
    /// bytes within it, an established one answer the keepalive ping.
    #[arg(long, env = "BUDGETRAD_SILENCE_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(2..=3600))]
    pub silence_seconds: u64,

    /// Seconds a unary call's request body may take to arrive; the call
    /// holds no slot meanwhile, and is answered DEADLINE_EXCEEDED after.
    #[arg(long, env = "BUDGETRAD_REQUEST_BODY_SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub request_body_seconds: u64,

    /// Seconds a stream's answers may wait for a client that does not read
    /// them; then the stream stops its work and ends with DEADLINE_EXCEEDED
    /// (its slot is free once the client's connection drops it).
    #[arg(long, env = "BUDGETRAD_STREAM_STALL_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub stream_stall_seconds: u64,

    /// The server's TLS certificate chain (PEM). With --tls-key, the server
    /// speaks TLS only.
    #[arg(long, env = "BUDGETRAD_TLS_CERT", value_name = "PEM")]
    pub tls_cert: Option<PathBuf>,

    /// The server's TLS private key (PEM).
    #[arg(long, env = "BUDGETRAD_TLS_KEY", value_name = "PEM")]
    pub tls_key: Option<PathBuf>,

    /// Accept client certificates signed by this CA (PEM): mutual TLS.
    /// Callers without one may still use a bearer token.
    #[arg(long, env = "BUDGETRAD_TLS_CLIENT_CA", value_name = "PEM")]
    pub tls_client_ca: Option<PathBuf>,

    /// The map of client certificate subjects to callers and roles (TOML).
    #[arg(long, env = "BUDGETRAD_CLIENT_CERTIFICATES", value_name = "FILE")]
    pub client_certificates: Option<PathBuf>,

    /// Serve plain TCP on an address that is not loopback (behind a proxy
    /// that terminates TLS, say). Without TLS and without this, the server
    /// listens only on loopback.
    #[arg(long, env = "BUDGETRAD_ALLOW_PLAINTEXT")]
    pub allow_plaintext: bool,

    /// The largest single payout accepted, in whole kronor: above it a
    /// payout is refused with PAYOUT_ABOVE_LIMIT.
    #[arg(long, env = "BUDGETRAD_MAX_PAYOUT_KR", default_value_t = DEFAULT_MAX_PAYOUT_KR, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_payout_kr: u32,

    /// The unit a new household without one goes to when its creator has
    /// several units or all; also the one unit of a token or client
    /// certificate that names no units (unless it is admin or auditor).
    #[arg(long, env = "BUDGETRAD_DEFAULT_UNIT", default_value = crate::domain::unit::DEFAULT_UNIT, value_parser = parse_unit)]
    pub default_unit: crate::domain::unit::UnitCode,

    /// Seconds between seals of the audit chain: an audit row becomes a
    /// link of the hash chain at the latest this long after it is written
    /// (VerifyLedger seals first, whenever it runs).
    #[arg(long, env = "BUDGETRAD_AUDIT_SEAL_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub audit_seal_seconds: u64,

    /// Seconds between sweeps of the date-driven alerts (notice deadlines,
    /// missed instalments, broken plans, unpaid rent, missing norm tables);
    /// with several servers on one database one sweep does the work.
    #[arg(long, env = "BUDGETRAD_ALERT_SWEEP_SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub alert_sweep_seconds: u64,

    /// The bank's payment-file format: `pain001-09` (pain.001.001.09, the
    /// default) or `pain001-03` (pain.001.001.03).
    #[arg(
        long,
        env = "BUDGETRAD_BANK_PROFILE",
        value_enum,
        default_value = "pain001-09"
    )]
    pub bank_profile: BankProfile,

    /// The paying organisation's name in payment files (the municipality).
    #[arg(long, env = "BUDGETRAD_DEBTOR_NAME")]
    pub debtor_name: Option<String>,

    /// The account payments leave from (IBAN). With --debtor-bic and
    /// --debtor-name; without them no payment batch is exported.
    #[arg(long, env = "BUDGETRAD_DEBTOR_IBAN", hide_env_values = true)]
    pub debtor_iban: Option<String>,

    /// The debtor's bank (BIC).
    #[arg(long, env = "BUDGETRAD_DEBTOR_BIC")]
    pub debtor_bic: Option<String>,

    /// The most payouts one payment batch gathers.
    #[arg(long, env = "BUDGETRAD_PAYMENT_BATCH_MAX", default_value_t = DEFAULT_PAYMENT_BATCH_MAX, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub payment_batch_max: u32,

    /// The municipality's name printed at the head of every document.
    #[arg(long, env = "BUDGETRAD_MUNICIPALITY_NAME", default_value = crate::documents::kinds::DEFAULT_MUNICIPALITY)]
    pub municipality_name: String,
    /// The unit (förvaltning, enhet) printed under the municipality's name
    /// and beside the signatures.
    #[arg(long, env = "BUDGETRAD_MUNICIPALITY_UNIT", default_value = crate::documents::kinds::DEFAULT_UNIT)]
    pub municipality_unit: String,
    /// Largest request message accepted, in bytes.
    #[arg(long, env = "BUDGETRAD_MAX_MESSAGE_BYTES", default_value_t = 4 * 1024 * 1024)]
    pub max_message_bytes: usize,
}

/// A bank's payment-file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BankProfile {
    #[value(name = "pain001-09")]
    Pain001V09,
    #[value(name = "pain001-03")]
    Pain001V03,
}

impl Config {
    /// The payment settings, checked: the debtor's name, IBAN and BIC are
    /// all given and valid, or none is.
    pub fn payment_settings(&self) -> anyhow::Result<PaymentSettings> {
        let debtor = match (&self.debtor_name, &self.debtor_iban, &self.debtor_bic) {
            (None, None, None) => None,
            (Some(name), Some(iban), Some(bic)) => {
                Some(Debtor::parse(name, iban, bic).map_err(|e| anyhow::anyhow!("{e}"))?)
            }
            _ => {
                anyhow::bail!("give all of --debtor-name, --debtor-iban and --debtor-bic, or none")
            }
        };
        Ok(PaymentSettings {
            version: match self.bank_profile {
                BankProfile::Pain001V09 => Pain001Version::V09,
                BankProfile::Pain001V03 => Pain001Version::V03,
            },
            debtor,
            batch_max: self.payment_batch_max,
        })
    }
}

impl std::fmt::Debug for Config {
    // The database URL may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("log_format", &self.log_format)
            .field("tokens_file", &self.tokens_file)
            .field("admin_token_file", &self.admin_token_file)
            .field("tls_cert", &self.tls_cert)
            .field("tls_client_ca", &self.tls_client_ca)
            .field("client_certificates", &self.client_certificates)
            .field("allow_plaintext", &self.allow_plaintext)
            .field("max_message_bytes", &self.max_message_bytes)
            .field("max_concurrent_calls", &self.max_concurrent_calls)
            .field("max_call_seconds", &self.max_call_seconds)
            .field("max_rent_check_streams", &self.max_rent_check_streams)
            .field("stream_stall_seconds", &self.stream_stall_seconds)
            .field("max_calls_per_caller", &self.max_calls_per_caller)
            .field(
                "max_rent_check_streams_per_caller",
                &self.max_rent_check_streams_per_caller,
            )
            .field("max_connections", &self.max_connections)
            .field("silence_seconds", &self.silence_seconds)
            .field("request_body_seconds", &self.request_body_seconds)
            .field("max_payout_kr", &self.max_payout_kr)
            .field("default_unit", &self.default_unit)
            .field("audit_seal_seconds", &self.audit_seal_seconds)
            .field("alert_sweep_seconds", &self.alert_sweep_seconds)
            .field("read_replica", &self.read_database_url.is_some())
            .field("max_replica_lag_seconds", &self.max_replica_lag_seconds)
            .field("bank_profile", &self.bank_profile)
            .field("payment_batch_max", &self.payment_batch_max)
            .finish_non_exhaustive()
    }
}

fn parse_unit(text: &str) -> Result<crate::domain::unit::UnitCode, String> {
    crate::domain::unit::UnitCode::parse(text)
        .ok_or_else(|| crate::domain::unit::UNIT_CODE_RULE.to_owned())
}

#[cfg(test)]
mod tests;
