//! The session with the server: the connection and the bearer token
//! ([`connect`]), a refused call explained in words ([`status`]), paging
//! through lists, and why the CLI stops ([`CliError`], and so its exit code).
//! Every command opens a [`Session`] after its input files have been read,
//! so a bad file is reported before anything is sent.

pub mod connect;
mod paging;
pub mod status;

use std::io::Write as _;

use serde::Serialize;
use tonic::Status;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use super::args::Cli;
use super::input::InputError;
use super::names::words::{io_reason, w, wf};
use crate::pb;
use crate::pb::admin_service_client::AdminServiceClient;
use crate::pb::alert_service_client::AlertServiceClient;
use crate::pb::audit_service_client::AuditServiceClient;
use crate::pb::budget_service_client::BudgetServiceClient;
use crate::pb::debt_service_client::DebtServiceClient;
use crate::pb::document_service_client::DocumentServiceClient;
use crate::pb::follow_up_service_client::FollowUpServiceClient;
use crate::pb::household_service_client::HouseholdServiceClient;
use crate::pb::norm_service_client::NormServiceClient;
use crate::pb::payment_service_client::PaymentServiceClient;
use crate::pb::payout_service_client::PayoutServiceClient;
use crate::pb::rent_check_service_client::RentCheckServiceClient;
use crate::pb::rent_plan_service_client::RentPlanServiceClient;
use connect::{BearerAuth, ConnectError};
pub(super) use paging::{PageError, collect_pages};

/// Why the CLI stopped, and so its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments, token or server URL: exit 2.
    #[error("{0}")]
    Usage(String),
    /// An input file that cannot be used: exit 2.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The server found the request's input invalid (INVALID_ARGUMENT):
    /// exit 2, as for input refused before sending.
    #[error("{0}")]
    Invalid(String),
    /// The server could not be reached or refused: exit 1.
    #[error("{0}")]
    Server(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Input(_) | CliError::Invalid(_) => 2,
            CliError::Server(_) => 1,
        }
    }
}

pub(super) type Intercepted = InterceptedService<Channel, BearerAuth>;

/// A connected, authenticated session, and what error messages may say
/// about it.
pub(super) struct Session {
    channel: Channel,
    auth: BearerAuth,
    server: String,
    token_source: String,
    json: bool,
    /// The request id of the write this session sends, for the hint of a
    /// call that may have been applied.
    request_id: std::sync::Mutex<Option<String>>,
    /// How the command's user named the fields it sends.
    naming: std::sync::Mutex<Naming>,
}

/// [`status::Naming`] held by the session: set by a command before it
/// sends what the user gave in flags or a file.
#[derive(Debug, Clone, Default)]
enum Naming {
    #[default]
    Wire,
    Flags(&'static [(&'static str, &'static str)]),
    File {
        file: String,
        prefix: &'static str,
    },
}

impl Session {
    pub(super) async fn open(cli: &Cli) -> Result<Self, CliError> {
        let credential = connect::find_token(cli.token.as_deref(), cli.token_file.as_deref())
            .map_err(CliError::Usage)?;
        let auth = BearerAuth::new(&credential).map_err(CliError::Usage)?;
        let channel = connect::channel(&cli.server, cli.ca_cert.as_deref())
            .await
            .map_err(|e| match e {
                ConnectError::BadUrl(m) => CliError::Usage(m),
                ConnectError::Unreachable(m) => CliError::Server(m),
            })?;
        Ok(Self {
            channel,
            auth,
            server: cli.server.clone(),
            token_source: credential.source,
            json: cli.json,
            request_id: std::sync::Mutex::new(None),
            naming: std::sync::Mutex::new(Naming::Wire),
        })
    }

    pub(super) fn households(&self) -> HouseholdServiceClient<Intercepted> {
        HouseholdServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn budgets(&self) -> BudgetServiceClient<Intercepted> {
        BudgetServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn norms(&self) -> NormServiceClient<Intercepted> {
        NormServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn admin(&self) -> AdminServiceClient<Intercepted> {
        AdminServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn debts(&self) -> DebtServiceClient<Intercepted> {
        DebtServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn documents(&self) -> DocumentServiceClient<Intercepted> {
        // A document with many letters is larger than tonic's default 4 MiB.
        DocumentServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
            .max_decoding_message_size(64 * 1024 * 1024)
    }

    pub(super) fn rent(&self) -> RentPlanServiceClient<Intercepted> {
        RentPlanServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn payouts(&self) -> PayoutServiceClient<Intercepted> {
        PayoutServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn payments(&self) -> PaymentServiceClient<Intercepted> {
        PaymentServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn rent_checks(&self) -> RentCheckServiceClient<Intercepted> {
        RentCheckServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn alerts(&self) -> AlertServiceClient<Intercepted> {
        AlertServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn audit(&self) -> AuditServiceClient<Intercepted> {
        AuditServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    pub(super) fn follow_up(&self) -> FollowUpServiceClient<Intercepted> {
        FollowUpServiceClient::with_interceptor(self.channel.clone(), self.auth.clone())
    }

    /// A refused call in words; `roles` are those the RPC needs. Only a
    /// write that may have been applied (the answer was lost, not a refusal
    /// or a validation error) adds the `--request-id` that retries it.
    pub(super) fn refused<'a>(&'a self, roles: &'a str) -> impl Fn(Status) -> CliError + 'a {
        move |status| {
            let held = self.naming.lock().map(|n| n.clone()).unwrap_or_default();
            let naming = match &held {
                Naming::Wire => status::Naming::Wire,
                Naming::Flags(table) => status::Naming::Flags(table),
                Naming::File { file, prefix } => status::Naming::File { file, prefix },
            };
            let mut text = status::explain(
                &status,
                &status::Context {
                    server: &self.server,
                    token_source: &self.token_source,
                    roles,
                    naming,
                },
            );
            let sent = self.request_id.lock().ok().and_then(|id| id.clone());
            if let Some(id) = sent
                && status::may_have_been_applied(status.code())
            {
                text.push_str(&wf(
                    "\nAnropet kan ha genomförts. Kör samma kommando igen med --request-id {} för att försöka igen utan att det registreras två gånger.",
                    &[&id],
                ));
            }
            // The server found the input itself invalid: bad input, like
            // a bad flag, whereas every other failure is a refusal.
            if status.code() == tonic::Code::InvalidArgument {
                CliError::Invalid(text)
            } else {
                CliError::Server(text)
            }
        }
    }

    /// The flags the user gave the fields of the next request with, as
    /// pairs of wire path and flag ([`status::Naming::Flags`]), so that the
    /// server's field violations name the flag.
    pub(super) fn fields_from_flags(&self, table: &'static [(&'static str, &'static str)]) {
        if let Ok(mut slot) = self.naming.lock() {
            *slot = Naming::Flags(table);
        }
    }

    /// The file the fields of the next request come from, its keys those
    /// of the wire below `prefix` ([`status::Naming::File`]).
    pub(super) fn fields_from_file(&self, file: &std::path::Path, prefix: &'static str) {
        if let Ok(mut slot) = self.naming.lock() {
            *slot = Naming::File {
                file: file.display().to_string(),
                prefix,
            };
        }
    }

    /// The request id of a write: the one given (to retry a call that may
    /// have gone through), or a new one. It is shown only when the call
    /// fails in a way that may have applied it ([`Session::refused`]).
    pub(super) fn request_id(&self, given: &Option<String>) -> String {
        let id = given
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        if let Ok(mut slot) = self.request_id.lock() {
            *slot = Some(id.clone());
        }
        id
    }

    /// Prints the JSON view with `--json`, else the table text.
    pub(super) fn print<V: Serialize>(
        &self,
        view: impl FnOnce() -> V,
        text: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        let out = if self.json {
            let mut json = serde_json::to_string_pretty(&view())
                .map_err(|e| CliError::Server(wf("kan inte skriva svaret som JSON: {}", &[&e])))?;
            json.push('\n');
            json
        } else {
            crate::cli::render::layout::fit(&text())
        };
        let mut stdout = std::io::stdout().lock();
        match stdout
            .write_all(out.as_bytes())
            .and_then(|()| stdout.flush())
        {
            Ok(()) => Ok(()),
            // A closed pipe (`| head`) is the reader's choice, not a failure.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(CliError::Server(wf(
                "kan inte skriva utdata: {}",
                &[&io_reason(&e)],
            ))),
        }
    }
}

pub(super) const COUNSELLOR: &str = "counsellor, caseworker";
/// Any caller with a valid token: no role to name.
pub(super) const ANY_CALLER: &str = "";
pub(super) const ADMIN: &str = "admin";
pub(super) const AUDITOR: &str = "auditor";
pub(super) const STATISTICS: &str = "auditor or statistics";

/// An amount as the wire takes it: the text as typed; the server parses it
/// and names the field when it is not an amount.
pub(super) fn wire_money(amount: &str) -> Option<pb::Money> {
    Some(pb::Money {
        amount: amount.to_owned(),
    })
}

/// A response field the proto marks as always set, but which the server
/// left out: a server bug, reported rather than panicking.
pub(super) fn present<T>(value: Option<T>, what: &str) -> Result<T, CliError> {
    value.ok_or_else(|| CliError::Server(wf("serverns svar saknar {}", &[&what])))
}

/// A personnummer given as `-`: read from standard input, which keeps it
/// out of the shell's history.
pub(super) fn read_stdin_line() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        CliError::Usage(wf(
            "kan inte läsa personnumret från standard in: {}",
            &[&io_reason(&e)],
        ))
    })?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        return Err(CliError::Usage(
            w("inget personnummer på standard in").to_owned(),
        ));
    }
    Ok(line)
}

#[cfg(test)]
mod retry_tests {
    use tonic::Status;

    use super::{CliError, Session, connect};

    async fn session() -> Session {
        let credential = connect::find_token(Some("test-secret"), None).expect("a token");
        Session {
            channel: tonic::transport::Channel::from_static("http://127.0.0.1:9").connect_lazy(),
            auth: connect::BearerAuth::new(&credential).expect("a header"),
            server: "http://127.0.0.1:9".to_owned(),
            token_source: credential.source,
            json: false,
            request_id: std::sync::Mutex::new(None),
            naming: std::sync::Mutex::new(super::Naming::Wire),
        }
    }

    #[tokio::test]
    async fn only_a_write_whose_answer_was_lost_suggests_its_request_id() {
        let s = session().await;
        let id = s.request_id(&None);
        let text = |e: CliError| e.to_string();
        for lost in [
            Status::unavailable("connection reset"),
            Status::deadline_exceeded("timeout"),
            Status::unknown("transport error"),
        ] {
            let e = text(s.refused("counsellor")(lost));
            assert!(e.contains(&format!("--request-id {id}")), "{e}");
        }
        for refused in [
            Status::invalid_argument("balance: must not be negative"),
            Status::failed_precondition("no"),
            Status::not_found("no such debt"),
            Status::permission_denied("no role"),
            Status::already_exists("the request id was used"),
        ] {
            let e = s.refused("counsellor")(refused);
            assert!(!e.to_string().contains("--request-id"), "{e}");
        }
        // A read sends no request id and suggests none.
        let read = session().await;
        let e = text(read.refused("counsellor")(Status::unavailable("gone")));
        assert!(!e.contains("--request-id"), "{e}");
        // The id given is the one suggested again.
        let given = "0190f1c2-0000-7000-8000-000000000001".to_owned();
        assert_eq!(s.request_id(&Some(given.clone())), given);
        let e = text(s.refused("counsellor")(Status::unavailable("gone")));
        assert!(e.contains(&format!("--request-id {given}")), "{e}");
        assert_eq!(
            s.refused("counsellor")(Status::invalid_argument("x")).exit_code(),
            2
        );
        assert_eq!(
            s.refused("counsellor")(Status::not_found("x")).exit_code(),
            1
        );
    }
}
