//! `budgetrad-cli admin token create | list | revoke`: bearer tokens in the
//! server's token file. These commands edit the file on the server's host
//! (it holds only hashes); the running server notices the change within a
//! few seconds. A new token's secret is printed once and kept nowhere.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use serde::Serialize;

use super::CliError;
use super::render::new_table;
use crate::grpc::auth::{Role, TokenFile, read_token_file, write_token_file};

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Creates a token and prints its secret once.
    Create {
        /// A name for the caller, e.g. viva-prod or anna.counsellor.
        #[arg(long)]
        name: String,
        /// A role of the token; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// When the token stops working: YYYY-MM-DD (the start of that day,
        /// UTC) or an RFC 3339 instant.
        #[arg(long, value_parser = parse_expiry)]
        expires_at: Option<DateTime<Utc>>,
        #[command(flatten)]
        file: TokensFile,
    },
    /// Lists the tokens: names, roles and expiry (never secrets).
    List {
        #[command(flatten)]
        file: TokensFile,
    },
    /// Revokes a token by name.
    Revoke {
        name: String,
        #[command(flatten)]
        file: TokensFile,
    },
}

#[derive(clap::Args)]
pub struct TokensFile {
    /// The server's token file.
    #[arg(
        long,
        env = "BUDGETRAD_TOKENS_FILE",
        default_value = "budgetrad-tokens.toml"
    )]
    tokens_file: PathBuf,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::ALL
        .iter()
        .copied()
        .find(|r| r.as_str() == text)
        .ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            format!("not a role; choose one of {}", names.join(", "))
        })
}

fn parse_expiry(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| "give a date (YYYY-MM-DD) or an RFC 3339 instant".to_owned())
}

fn usage(error: anyhow::Error) -> CliError {
    CliError::Usage(format!("{error:#}"))
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Server(format!("cannot write the output: {e}"))),
    }
}

fn json<T: Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| CliError::Server(format!("cannot write JSON: {e}")))
}

#[derive(Serialize)]
struct TokenView<'a> {
    name: &'a str,
    roles: Vec<&'static str>,
    expires_at: Option<String>,
    expired: bool,
}

pub fn run(command: &TokenCommand, as_json: bool) -> Result<(), CliError> {
    match command {
        TokenCommand::Create {
            name,
            roles,
            expires_at,
            file,
        } => {
            let path = &file.tokens_file;
            let mut tokens = read_existing(path)?;
            let secret = tokens
                .add(name, roles.clone(), *expires_at)
                .map_err(usage)?;
            write_token_file(path, &tokens).map_err(usage)?;
            if as_json {
                #[derive(Serialize)]
                struct Created<'a> {
                    name: &'a str,
                    roles: Vec<&'static str>,
                    secret: &'a str,
                }
                print(&json(&Created {
                    name,
                    roles: roles.iter().map(|r| r.as_str()).collect(),
                    secret: &secret,
                })?)
            } else {
                print(&format!(
                    "Created token {name} with the roles: {}.\n\
                     Its secret, shown this once (only its hash is kept); give it to the caller now:\n\n{secret}\n\n\
                     The running server accepts it within a few seconds.\n",
                    roles_text(roles)
                ))
            }
        }
        TokenCommand::List { file } => {
            let tokens = read_existing(&file.tokens_file)?;
            let now = Utc::now();
            let views: Vec<TokenView> = tokens
                .tokens
                .iter()
                .map(|t| TokenView {
                    name: &t.name,
                    roles: t.roles.iter().map(|r| r.as_str()).collect(),
                    expires_at: t.expires_at.map(|e| e.to_rfc3339()),
                    expired: t.expires_at.is_some_and(|e| e <= now),
                })
                .collect();
            if as_json {
                return print(&json(&views)?);
            }
            let mut table = new_table(&["Name", "Roles", "Expires", "Status"]);
            for v in &views {
                table.add_row(vec![
                    v.name.to_owned(),
                    v.roles.join(", "),
                    v.expires_at.clone().unwrap_or_else(|| "never".to_owned()),
                    if v.expired { "expired" } else { "active" }.to_owned(),
                ]);
            }
            print(&format!("{table}\n"))
        }
        TokenCommand::Revoke { name, file } => {
            let path = &file.tokens_file;
            let mut tokens = read_existing(path)?;
            tokens.revoke(name).map_err(usage)?;
            write_token_file(path, &tokens).map_err(usage)?;
            print(&format!(
                "Revoked token {name}; the running server refuses it within a few seconds.\n"
            ))
        }
    }
}

fn read_existing(path: &Path) -> Result<TokenFile, CliError> {
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "no token file at {}: run this on the server's host, in its working directory or with --tokens-file (the server creates the file on its first start)",
            path.display()
        )));
    }
    read_token_file(path).map_err(usage)
}
