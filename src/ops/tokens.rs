//! `budgetrad token create | list | revoke`: bearer tokens in the server's
//! token file. These commands edit the file on the server's host (it holds
//! only hashes); the running server notices the change within a second
//! (it looks every 250 ms). A new token's secret is printed once and kept nowhere.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use super::{OpsError, json, print};
use crate::domain::unit::{UNIT_CODE_RULE, Units};
use crate::grpc::auth::{Role, Signature, TokenFile, read_token_file, write_token_file};

#[derive(Clone, Args)]
pub struct TokenCommand {
    /// Print the answer as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    action: TokenAction,
}

#[derive(Clone, Subcommand)]
enum TokenAction {
    /// Creates a token and prints its secret once.
    Create {
        /// A name for the caller, e.g. viva-prod or anna.counsellor.
        #[arg(long)]
        name: String,
        /// A role of the token; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// A unit whose households the token sees, e.g. ifo-vuxna; repeat
        /// for several, or give '*' for all units. Left out: all units for
        /// an admin or auditor token, else only the server's default unit.
        #[arg(long = "unit")]
        units: Vec<String>,
        /// When the token stops working: YYYY-MM-DD (it works through the
        /// end of that day in Europe/Stockholm) or an RFC 3339 instant. It
        /// must be in the future.
        #[arg(long, value_parser = parse_expiry)]
        expires_at: Option<DateTime<Utc>>,
        /// The caller's name as the letters it renders are signed, e.g.
        /// "Anna Lind" (with --signature-unit).
        #[arg(long, requires = "signature_unit")]
        display_name: Option<String>,
        /// The unit printed under that name, e.g. "Enheten för ekonomiskt
        /// bistånd" (with --display-name).
        #[arg(long, requires = "display_name")]
        signature_unit: Option<String>,
        #[command(flatten)]
        file: TokensFile,
    },
    /// Lists the tokens: names, roles, units and expiry (never secrets).
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

#[derive(Clone, Args)]
struct TokensFile {
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

/// An expiry: a date means the end of that day in Swedish time (the token
/// stops at the next midnight in Europe/Stockholm), an instant means itself.
fn parse_expiry(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        use chrono::TimeZone;
        let next = day
            .succ_opt()
            .ok_or_else(|| "the date is out of range".to_owned())?;
        // Midnight always exists in Stockholm (the clocks change at 02:00
        // and 03:00), so `earliest` is the one instant.
        return chrono_tz::Europe::Stockholm
            .from_local_datetime(&next.and_time(chrono::NaiveTime::MIN))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| "the date is out of range".to_owned());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| "give a date (YYYY-MM-DD) or an RFC 3339 instant".to_owned())
}

fn usage(error: anyhow::Error) -> OpsError {
    OpsError::Usage(format!("{error:#}"))
}

fn role_names(roles: &[Role]) -> Vec<&'static str> {
    roles.iter().map(|r| r.as_str()).collect()
}

#[derive(Serialize)]
struct TokenView<'a> {
    name: &'a str,
    roles: Vec<&'static str>,
    /// The units named, `["*"]` for all; None when the entry names none.
    units: Option<Vec<String>>,
    expires_at: Option<String>,
    expired: bool,
}

#[derive(Serialize)]
struct Created<'a> {
    name: &'a str,
    roles: Vec<&'static str>,
    units: Option<Vec<String>>,
    secret: &'a str,
}

pub(super) fn run(command: &TokenCommand) -> Result<(), OpsError> {
    let as_json = command.json;
    match &command.action {
        TokenAction::Create {
            name,
            roles,
            units,
            expires_at,
            display_name,
            signature_unit,
            file,
        } => {
            let signature = match (display_name, signature_unit) {
                (Some(name), Some(unit)) => Some(Signature::new(name, unit).map_err(usage)?),
                _ => None,
            };
            let units = if units.is_empty() {
                None
            } else {
                Some(Units::parse(units).ok_or_else(|| {
                    OpsError::Usage(format!(
                        "--unit: give unit codes, or '*' alone for all units; {UNIT_CODE_RULE}"
                    ))
                })?)
            };
            let path = &file.tokens_file;
            let mut tokens = read_existing(path)?;
            let secret = tokens
                .add(name, roles.clone(), units.clone(), *expires_at, Utc::now())
                .map_err(usage)?;
            if let Some(signature) = signature {
                tokens.sign_as(name, signature).map_err(usage)?;
            }
            let units = units.as_ref().map(Units::codes);
            write_token_file(path, &tokens).map_err(usage)?;
            if as_json {
                print(&json(&Created {
                    name,
                    roles: role_names(roles),
                    units: units.clone(),
                    secret: &secret,
                })?)
            } else {
                print(&format!(
                    "Created token {name} with the roles: {}; units: {}.\n\
                     Its secret, shown this once (only its hash is kept); give it to the caller now:\n\n{secret}\n\n\
                     The running server accepts it within a second.\n",
                    role_names(roles).join(", "),
                    units_text(units.as_deref())
                ))
            }
        }
        TokenAction::List { file } => {
            let tokens = read_existing(&file.tokens_file)?;
            let now = Utc::now();
            let views: Vec<TokenView> = tokens
                .tokens
                .iter()
                .map(|t| TokenView {
                    name: &t.name,
                    roles: role_names(&t.roles),
                    units: t.units.as_ref().map(Units::codes),
                    expires_at: t.expires_at.map(|e| e.to_rfc3339()),
                    expired: t.expires_at.is_some_and(|e| e <= now),
                })
                .collect();
            if as_json {
                return print(&json(&views)?);
            }
            print(&format!("{}\n", tokens_table(&views)))
        }
        TokenAction::Revoke { name, file } => {
            let path = &file.tokens_file;
            let mut tokens = read_existing(path)?;
            tokens.revoke(name).map_err(usage)?;
            write_token_file(path, &tokens).map_err(usage)?;
            print(&format!(
                "Revoked token {name}; the running server refuses it within a second.\n"
            ))
        }
    }
}

/// The tokens as a table in the style of the CLI's tables.
fn tokens_table(views: &[TokenView]) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(vec!["Name", "Roles", "Units", "Expires", "Status"]);
    for v in views {
        table.add_row(vec![
            v.name.to_owned(),
            v.roles.join(", "),
            units_text(v.units.as_deref()),
            v.expires_at.clone().unwrap_or_else(|| "never".to_owned()),
            if v.expired { "expired" } else { "active" }.to_owned(),
        ]);
    }
    table
}

/// The units of a token as the table shows them; an entry naming none
/// sees what its roles give it (all for admin and auditor, else the
/// server's default unit).
fn units_text(units: Option<&[String]>) -> String {
    match units {
        Some(codes) => codes.join(", "),
        None => "(default)".to_owned(),
    }
}

fn read_existing(path: &Path) -> Result<TokenFile, OpsError> {
    if !path.exists() {
        return Err(OpsError::Usage(format!(
            "no token file at {}: run this on the server's host, in its working directory or with --tokens-file (the server creates the file on its first start)",
            path.display()
        )));
    }
    read_token_file(path).map_err(usage)
}

#[cfg(test)]
mod tests;
