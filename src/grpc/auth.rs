//! Who is calling, and may they? Every call to a `budgetrad.v1` service is
//! authenticated by a bearer token and authorised by the role table
//! [`RPC_ROLES`] in a tower layer, before any handler runs. A missing or
//! unknown token gets UNAUTHENTICATED; a token without a role the RPC accepts
//! gets PERMISSION_DENIED; an RPC missing from the table is refused to
//! everyone (deny by default). Health and reflection reveal no personal data
//! and are open.
//!
//! Every refusal carries an `ErrorInfo` a client can branch on:
//! UNAUTHENTICATED with `TOKEN_MISSING` (no credential), `TOKEN_INVALID`
//! (an unknown or malformed token), `TOKEN_EXPIRED`, `TOKENS_UNAVAILABLE`
//! (the server's token file is missing or does not parse, so no bearer token
//! is accepted) or `CERTIFICATE_UNMAPPED`; PERMISSION_DENIED with
//! `ROLE_MISSING` and the roles the method accepts in the metadata
//! `required_roles` (comma-separated; empty for a method open to none).
//!
//! A caller also has units ([`Caller::units`]): the households it sees.
//! The auth layer only identifies them; handlers apply them through
//! `AuditCall` (ARCHITECTURE.md, "Units").
//!
//! Tokens are stored only as SHA-256 hashes, in a TOML file ([`tokens`]).
//! The secrets are 256 random bits, so a fast hash is the right tool (there
//! is nothing to brute-force); a slow password hash would only slow every
//! call. On a first start with no token file, the server creates one
//! bootstrap token holding every role for seven days, writes its secret to a
//! file only the owner can read, and says where: even the first run serves
//! no personal data to an unauthenticated caller.

mod tokens;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::task::{Context, Poll};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use tonic::codegen::http;
use tonic::{Code, Status};
use tower::{Layer, Service};

pub use tokens::{
    BOOTSTRAP_LIFETIME, BOOTSTRAP_NAME, Signature, TOKENS_INTERVAL, TokenEntry, TokenFile,
    TokenRefusal, TokenStore, Tokens, hash_secret, load_or_bootstrap, new_secret, read_token_file,
    write_token_file,
};

use super::layer::{ResponseFuture, refuse, take_ready};
use super::status::auth_refusal;
use crate::clock::Clock;
use crate::domain::unit::{UnitCode, Units};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Counsellor,
    Caseworker,
    Payout,
    RentCheck,
    Admin,
    Auditor,
    /// Attests payment batches (attestordning): a second person approves
    /// what the payout system gathered before it goes to the bank.
    Attester,
    /// Reads the monthly follow-up's aggregate figures (issue 22), never a
    /// household's data.
    Statistics,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Counsellor,
        Role::Caseworker,
        Role::Payout,
        Role::RentCheck,
        Role::Admin,
        Role::Auditor,
        Role::Attester,
        Role::Statistics,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Counsellor => "counsellor",
            Role::Caseworker => "caseworker",
            Role::Payout => "payout",
            Role::RentCheck => "rent_check",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
            Role::Attester => "attester",
            Role::Statistics => "statistics",
        }
    }
}

use Role::{Admin, Attester, Auditor, Caseworker, Counsellor, Payout, RentCheck, Statistics};

const COUNSEL: &[Role] = &[Counsellor, Caseworker];
/// Who may read the rent ledger, and record a household's own receipts:
/// the payout system, and case workers and counsellors following a case.
const LEDGER: &[Role] = &[Payout, Caseworker, Counsellor];
/// Who may read and cancel payment batches: the payout system that makes
/// them, and the attester who approves them.
const PAYMENTS: &[Role] = &[Payout, Attester];
/// Who may check that rent was paid: the assistance system's monthly run,
/// and case workers deciding an application.
const CHECK: &[Role] = &[RentCheck, Caseworker];
/// Who may read the monthly follow-up: the auditor and the statistics
/// role (aggregates only).
const FOLLOW_UP: &[Role] = &[Auditor, Statistics];

/// The roles each RPC accepts: the one table of authorisation. Norm tables
/// are public figures and readable by every authenticated caller.
pub const RPC_ROLES: &[(&str, &[Role])] = &[
    ("budgetrad.v1.NormService/ListNormTables", Role::ALL),
    ("budgetrad.v1.AlertService/ListAlerts", COUNSEL),
    ("budgetrad.v1.AlertService/WatchAlerts", COUNSEL),
    ("budgetrad.v1.AlertService/AcknowledgeAlert", COUNSEL),
    ("budgetrad.v1.NormService/GetNormTable", Role::ALL),
    ("budgetrad.v1.NormService/GetNormStatus", Role::ALL),
    ("budgetrad.v1.AdminService/ImportNormTable", &[Admin]),
    ("budgetrad.v1.AdminService/VerifyLedger", &[Auditor]),
    ("budgetrad.v1.HouseholdService/CreateHousehold", COUNSEL),
    ("budgetrad.v1.HouseholdService/GetHousehold", COUNSEL),
    ("budgetrad.v1.HouseholdService/ListHouseholds", COUNSEL),
    ("budgetrad.v1.HouseholdService/UpdateHousehold", COUNSEL),
    ("budgetrad.v1.HouseholdService/LookupHousehold", COUNSEL),
    ("budgetrad.v1.HouseholdService/SetHouseholdUnit", &[Admin]),
    ("budgetrad.v1.BudgetService/CalculateBudget", COUNSEL),
    ("budgetrad.v1.BudgetService/CreateBudget", COUNSEL),
    ("budgetrad.v1.BudgetService/GetBudget", COUNSEL),
    ("budgetrad.v1.BudgetService/ListBudgets", COUNSEL),
    (
        "budgetrad.v1.BudgetService/CalculateSocialAssistance",
        COUNSEL,
    ),
    ("budgetrad.v1.DebtService/CreateDebt", COUNSEL),
    ("budgetrad.v1.DebtService/GetDebt", COUNSEL),
    ("budgetrad.v1.DebtService/ListDebts", COUNSEL),
    ("budgetrad.v1.DebtService/UpdateDebt", COUNSEL),
    ("budgetrad.v1.DebtService/RecordDebtEvent", COUNSEL),
    ("budgetrad.v1.DebtService/SettleDebt", COUNSEL),
    ("budgetrad.v1.DebtService/ListDebtEvents", COUNSEL),
    ("budgetrad.v1.DebtService/GetDebtOverview", COUNSEL),
    ("budgetrad.v1.DebtService/CalculateProtectedAmount", COUNSEL),
    (
        "budgetrad.v1.DebtService/EstimateDebtRestructuring",
        COUNSEL,
    ),
    ("budgetrad.v1.DebtService/CalculateLateInterest", COUNSEL),
    ("budgetrad.v1.DocumentService/RenderDocument", COUNSEL),
    ("budgetrad.v1.RentPlanService/CreateLandlord", COUNSEL),
    ("budgetrad.v1.RentPlanService/GetLandlord", COUNSEL),
    ("budgetrad.v1.RentPlanService/ListLandlords", COUNSEL),
    ("budgetrad.v1.RentPlanService/CreateLease", COUNSEL),
    ("budgetrad.v1.RentPlanService/GetLease", COUNSEL),
    ("budgetrad.v1.RentPlanService/ListLeases", COUNSEL),
    ("budgetrad.v1.RentPlanService/ChangeLeaseRent", COUNSEL),
    ("budgetrad.v1.RentPlanService/GetRentDueDate", COUNSEL),
    ("budgetrad.v1.RentPlanService/CreateEvictionNotice", COUNSEL),
    ("budgetrad.v1.RentPlanService/ListEvictionNotices", COUNSEL),
    (
        "budgetrad.v1.RentPlanService/ResolveEvictionNotice",
        COUNSEL,
    ),
    (
        "budgetrad.v1.RentPlanService/PreviewRentPaymentPlan",
        COUNSEL,
    ),
    (
        "budgetrad.v1.RentPlanService/CreateRentPaymentPlan",
        COUNSEL,
    ),
    ("budgetrad.v1.RentPlanService/GetRentPaymentPlan", COUNSEL),
    ("budgetrad.v1.RentPlanService/ListRentPaymentPlans", COUNSEL),
    ("budgetrad.v1.RentPlanService/RecordPlanPayment", COUNSEL),
    (
        "budgetrad.v1.RentPlanService/SetRentPaymentPlanDebt",
        COUNSEL,
    ),
    ("budgetrad.v1.PayoutService/RecordRentPayout", &[Payout]),
    ("budgetrad.v1.PayoutService/ReverseRentPayout", &[Payout]),
    ("budgetrad.v1.PayoutService/GetRentPayout", LEDGER),
    ("budgetrad.v1.PayoutService/ListRentPayouts", LEDGER),
    ("budgetrad.v1.PayoutService/RecordRentReceipt", LEDGER),
    ("budgetrad.v1.PayoutService/GetRentReceipt", LEDGER),
    ("budgetrad.v1.PayoutService/ListRentReceipts", LEDGER),
    ("budgetrad.v1.PaymentService/CreatePaymentBatch", &[Payout]),
    (
        "budgetrad.v1.PaymentService/ApprovePaymentBatch",
        &[Attester],
    ),
    ("budgetrad.v1.PaymentService/GetPaymentBatch", PAYMENTS),
    ("budgetrad.v1.PaymentService/ListPaymentBatches", PAYMENTS),
    ("budgetrad.v1.PaymentService/CancelPaymentBatch", PAYMENTS),
    ("budgetrad.v1.PaymentService/ExportPaymentBatch", &[Payout]),
    ("budgetrad.v1.PaymentService/ImportPaymentStatus", &[Payout]),
    ("budgetrad.v1.RentCheckService/CheckRentPaid", CHECK),
    ("budgetrad.v1.RentCheckService/CheckRentPaidStream", CHECK),
    ("budgetrad.v1.AuditService/ListAuditEvents", &[Auditor]),
    ("budgetrad.v1.RentPlanService/EndLease", COUNSEL),
    ("budgetrad.v1.FollowUpService/GetMonthlyFollowUp", FOLLOW_UP),
    (
        "budgetrad.v1.FollowUpService/ListMonthlyFollowUp",
        FOLLOW_UP,
    ),
    (
        "budgetrad.v1.FollowUpService/RenderFollowUpReport",
        FOLLOW_UP,
    ),
];

/// The roles an RPC accepts, by its HTTP path (`/package.Service/Method`).
pub fn roles_for(path: &str) -> Option<&'static [Role]> {
    rpc_entry(path).map(|(_, roles)| roles)
}

/// The role table's entry for an HTTP path: the method's full name and roles.
fn rpc_entry(path: &str) -> Option<(&'static str, &'static [Role])> {
    let method = path.strip_prefix('/')?;
    RPC_ROLES
        .iter()
        .find(|(name, _)| *name == method)
        .map(|(name, roles)| (*name, *roles))
}

/// What the auth layer allowed, put into each authorised request's
/// extensions beside the [`Caller`]: the method (`package.Service/Method`)
/// and the role that let the caller in, the first of the method's roles the
/// caller holds. The audit trail records both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub method: &'static str,
    pub role: Role,
}

/// The authenticated caller, put into each request's extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub name: String,
    pub roles: Vec<Role>,
    /// The units its token or certificate entry names; None when it names
    /// none ([`Caller::units`] says what that means).
    pub units: Option<Units>,
    /// How the caller signs letters (its token entry's `signature`).
    pub signature: Option<Signature>,
}

impl Caller {
    /// The units whose households the caller sees: those its entry names;
    /// for an entry naming none, all units when it holds the admin or
    /// auditor role, else only `default_unit` (fail closed, while a
    /// municipality with one unit needs no `units` anywhere).
    pub fn units(&self, default_unit: &UnitCode) -> Units {
        match &self.units {
            Some(units) => units.clone(),
            None if self.roles.iter().any(|r| matches!(r, Admin | Auditor)) => Units::All,
            None => Units::one(default_unit.clone()),
        }
    }

    /// The caller of a request that passed the auth layer.
    pub fn of<T>(request: &tonic::Request<T>) -> Result<Caller, Status> {
        request
            .extensions()
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| Status::unauthenticated("no credentials"))
    }
}

/// A client certificate's subject mapped to a caller (mutual TLS).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientEntry {
    /// The certificate's subject as RFC 4514 text, e.g. "CN=viva-prod, O=Exempel kommun".
    pub subject: String,
    pub name: String,
    pub roles: Vec<Role>,
    /// As a token's `units` ([`TokenEntry::units`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Units>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientFile {
    #[serde(default, rename = "client")]
    pub clients: Vec<ClientEntry>,
}

/// The callers known by client certificate, by subject. Only certificates
/// that chain to the configured client CA reach this lookup: the TLS
/// handshake refuses the rest.
#[derive(Debug, Default)]
pub struct ClientCertificates {
    by_subject: HashMap<String, Caller>,
}

impl ClientCertificates {
    pub fn from_entries(entries: Vec<ClientEntry>) -> Self {
        ClientCertificates {
            by_subject: entries
                .into_iter()
                .map(|e| {
                    (
                        e.subject,
                        Caller {
                            name: e.name,
                            roles: e.roles,
                            units: e.units,
                            signature: None,
                        },
                    )
                })
                .collect(),
        }
    }

    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the client certificate map {}", path.display()))?;
        let file: ClientFile = toml::from_str(&text)
            .with_context(|| format!("parsing the client certificate map {}", path.display()))?;
        Ok(Self::from_entries(file.clients))
    }

    fn caller(&self, subject: &str) -> Option<Caller> {
        self.by_subject.get(subject).cloned()
    }
}

/// The subject of a DER certificate as RFC 4514 text.
pub fn certificate_subject(der: &[u8]) -> Option<String> {
    x509_parser::parse_x509_certificate(der)
        .ok()
        .map(|(_, certificate)| certificate.subject().to_string())
}

/// The subject of the client certificate of a TLS connection, if any.
fn peer_subject<B>(request: &http::Request<B>) -> Option<String> {
    use tonic::transport::server::{TcpConnectInfo, TlsConnectInfo};
    let info = request
        .extensions()
        .get::<TlsConnectInfo<TcpConnectInfo>>()?;
    let certificates = info.peer_certs()?;
    certificate_subject(certificates.first()?.as_ref())
}

/// The tower layer that authenticates and authorises every call.
#[derive(Clone)]
pub struct AuthLayer {
    tokens: Arc<Tokens>,
    clients: Arc<ClientCertificates>,
    clock: Arc<dyn Clock>,
}

impl AuthLayer {
    pub fn new(
        tokens: Arc<Tokens>,
        clients: Arc<ClientCertificates>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        AuthLayer {
            tokens,
            clients,
            clock,
        }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthService {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct AuthService<S> {
    inner: S,
    /// The credentials and clock it checks against, shared with the layer.
    layer: AuthLayer,
}

impl<S> AuthService<S> {
    /// The caller of an authorised request, or the refusal.
    fn check<B>(&self, request: &http::Request<B>) -> Result<Option<(Caller, Grant)>, Status> {
        let path = request.uri().path();
        if !path.starts_with("/budgetrad.") {
            // grpc.health.v1 and reflection: open, they reveal no personal data.
            return Ok(None);
        }
        let Some((method, required)) = rpc_entry(path) else {
            return Err(role_missing(&[]));
        };
        let caller = match request.headers().get(http::header::AUTHORIZATION) {
            // A bearer token, when one is sent, decides.
            Some(header) => {
                let secret = header
                    .to_str()
                    .ok()
                    // The scheme name is case-insensitive (RFC 6750, RFC 9110 §11.1).
                    .and_then(|v| v.split_once(' '))
                    .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                    .map(|(_, secret)| secret.trim())
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| {
                        unauthenticated(
                            "TOKEN_INVALID",
                            "the authorization metadata must be 'Bearer …'",
                        )
                    })?;
                let Some(tokens) = self.layer.tokens.current() else {
                    return Err(unauthenticated(
                        "TOKENS_UNAVAILABLE",
                        "the server's token file is missing or does not parse: no bearer token is accepted until it is restored",
                    ));
                };
                tokens
                    .authenticate(secret, self.layer.clock.now())
                    .map_err(|refusal| match refusal {
                        TokenRefusal::Invalid => {
                            unauthenticated("TOKEN_INVALID", "the bearer token is unknown")
                        }
                        TokenRefusal::Expired => {
                            unauthenticated("TOKEN_EXPIRED", "the bearer token has expired")
                        }
                    })?
            }
            // Otherwise a client certificate (mutual TLS) mapped to a caller.
            None => match peer_subject(request) {
                Some(subject) => self.layer.clients.caller(&subject).ok_or_else(|| {
                    // A certificate subject names a service, not a person.
                    tracing::warn!(subject = %subject, "client certificate not mapped to a caller");
                    unauthenticated(
                        "CERTIFICATE_UNMAPPED",
                        "the client certificate is not mapped to a caller",
                    )
                })?,
                None => {
                    return Err(unauthenticated(
                        "TOKEN_MISSING",
                        "a bearer token (metadata 'authorization: Bearer …') or a client certificate is required",
                    ));
                }
            },
        };
        let Some(role) = required.iter().copied().find(|r| caller.roles.contains(r)) else {
            return Err(role_missing(required));
        };
        Ok(Some((caller, Grant { method, role })))
    }
}

/// UNAUTHENTICATED with the ErrorInfo `reason`.
fn unauthenticated(reason: &str, message: &str) -> Status {
    auth_refusal(Code::Unauthenticated, reason, message, Vec::new())
}

/// PERMISSION_DENIED with `ROLE_MISSING` and the roles that would do, in the
/// metadata `required_roles`.
fn role_missing(required: &[Role]) -> Status {
    let names: Vec<&str> = required.iter().map(|r| r.as_str()).collect();
    let message = if names.is_empty() {
        "this method is not open to any role".to_owned()
    } else {
        format!("this method needs one of the roles: {}", names.join(", "))
    };
    auth_refusal(
        Code::PermissionDenied,
        "ROLE_MISSING",
        &message,
        vec![("required_roles".to_owned(), names.join(","))],
    )
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for AuthService<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = ResponseFuture<ResBody, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<ReqBody>) -> Self::Future {
        match self.check(&request) {
            Ok(caller) => {
                if let Some((caller, grant)) = caller {
                    tracing::Span::current().record("caller", caller.name.as_str());
                    request.extensions_mut().insert(caller);
                    request.extensions_mut().insert(grant);
                }
                Box::pin(take_ready(&mut self.inner).call(request))
            }
            Err(status) => refuse(status),
        }
    }
}

#[cfg(test)]
mod tests;
