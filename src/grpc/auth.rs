//! Who is calling, and may they? Every call to a `budgetrad.v1` service is
//! authenticated by a bearer token and authorised by the role table
//! [`RPC_ROLES`] in a tower layer, before any handler runs. A missing or
//! unknown token gets UNAUTHENTICATED; a token without a role the RPC accepts
//! gets PERMISSION_DENIED; an RPC missing from the table is refused to
//! everyone (deny by default). Health and reflection reveal no personal data
//! and are open.
//!
//! Tokens are stored only as SHA-256 hashes, in a TOML file. The secrets are
//! 256 random bits, so a fast hash is the right tool (there is nothing to
//! brute-force); a slow password hash would only slow every call. On a first
//! start with no token file, the server creates one bootstrap token holding
//! every role, writes its secret to a file only the owner can read, and says
//! where: even the first run serves no personal data to an unauthenticated
//! caller.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::task::{Context, Poll};
use std::time::SystemTime;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tonic::Status;
use tonic::codegen::http;
use tower::{Layer, Service};

use super::layer::{ResponseFuture, refuse, take_ready};
use crate::clock::Clock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Counsellor,
    Caseworker,
    Payout,
    RentCheck,
    Admin,
    Auditor,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Counsellor,
        Role::Caseworker,
        Role::Payout,
        Role::RentCheck,
        Role::Admin,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Counsellor => "counsellor",
            Role::Caseworker => "caseworker",
            Role::Payout => "payout",
            Role::RentCheck => "rent_check",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
        }
    }
}

use Role::{Admin, Auditor, Caseworker, Counsellor, Payout, RentCheck};

const COUNSEL: &[Role] = &[Counsellor, Caseworker];
/// Who may read the rent ledger, and record a household's own receipts:
/// the payout system, and case workers and counsellors following a case.
const LEDGER: &[Role] = &[Payout, Caseworker, Counsellor];
/// Who may check that rent was paid: the assistance system's monthly run,
/// and case workers deciding an application.
const CHECK: &[Role] = &[RentCheck, Caseworker];

/// The roles each RPC accepts: the one table of authorisation. Norm tables
/// are public figures and readable by every authenticated caller.
pub const RPC_ROLES: &[(&str, &[Role])] = &[
    ("budgetrad.v1.NormService/ListNormTables", Role::ALL),
    ("budgetrad.v1.NormService/GetNormTable", Role::ALL),
    ("budgetrad.v1.AdminService/ImportNormTable", &[Admin]),
    ("budgetrad.v1.AdminService/VerifyLedger", &[Auditor]),
    ("budgetrad.v1.HouseholdService/CreateHousehold", COUNSEL),
    ("budgetrad.v1.HouseholdService/GetHousehold", COUNSEL),
    ("budgetrad.v1.HouseholdService/ListHouseholds", COUNSEL),
    ("budgetrad.v1.HouseholdService/UpdateHousehold", COUNSEL),
    ("budgetrad.v1.HouseholdService/LookupHousehold", COUNSEL),
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
    ("budgetrad.v1.RentCheckService/CheckRentPaid", CHECK),
    ("budgetrad.v1.RentCheckService/CheckRentPaidStream", CHECK),
    ("budgetrad.v1.AuditService/ListAuditEvents", &[Auditor]),
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
}

impl Caller {
    /// The caller of a request that passed the auth layer.
    pub fn of<T>(request: &tonic::Request<T>) -> Result<Caller, Status> {
        request
            .extensions()
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| Status::unauthenticated("no credentials"))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenEntry {
    pub name: String,
    /// Hex SHA-256 of the secret.
    pub sha256: String,
    pub roles: Vec<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenFile {
    #[serde(default, rename = "token")]
    pub tokens: Vec<TokenEntry>,
}

pub fn hash_secret(secret: &str) -> String {
    crate::domain::chain::sha256_hex(secret.as_bytes())
}

/// A new secret: "brt_" and 64 hex digits of operating-system randomness.
pub fn new_secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    Ok(format!("brt_{}", crate::domain::chain::hex(&bytes)))
}

/// The tokens the server accepts, by hash.
#[derive(Debug, Default)]
pub struct TokenStore {
    by_hash: HashMap<String, TokenEntry>,
}

impl TokenStore {
    pub fn from_file(file: TokenFile) -> TokenStore {
        TokenStore {
            by_hash: file
                .tokens
                .into_iter()
                .map(|t| (t.sha256.to_ascii_lowercase(), t))
                .collect(),
        }
    }

    pub fn authenticate(&self, secret: &str, now: DateTime<Utc>) -> Option<Caller> {
        let entry = self.by_hash.get(&hash_secret(secret))?;
        if entry.expires_at.is_some_and(|t| t <= now) {
            return None;
        }
        Some(Caller {
            name: entry.name.clone(),
            roles: entry.roles.clone(),
        })
    }
}

impl TokenFile {
    /// Adds a token for `name` with `roles`; returns its secret, which is
    /// not kept anywhere (only its hash is).
    pub fn add(
        &mut self,
        name: &str,
        roles: Vec<Role>,
        expires_at: Option<DateTime<Utc>>,
    ) -> anyhow::Result<String> {
        let valid_name = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        if !valid_name {
            anyhow::bail!("a token name is 1–64 characters of a–z, A–Z, 0–9, '-', '_' and '.'");
        }
        if self.tokens.iter().any(|t| t.name == name) {
            anyhow::bail!(
                "a token named {name} exists already; revoke it first or choose another name"
            );
        }
        if roles.is_empty() {
            anyhow::bail!("a token needs at least one role");
        }
        let mut roles = roles;
        roles.dedup();
        let secret = new_secret()?;
        self.tokens.push(TokenEntry {
            name: name.to_owned(),
            sha256: hash_secret(&secret),
            roles,
            expires_at,
        });
        Ok(secret)
    }

    /// Removes the token named `name`.
    pub fn revoke(&mut self, name: &str) -> anyhow::Result<()> {
        let before = self.tokens.len();
        self.tokens.retain(|t| t.name != name);
        if self.tokens.len() == before {
            anyhow::bail!("there is no token named {name}");
        }
        Ok(())
    }
}

/// Reads a token file.
pub fn read_token_file(path: &Path) -> anyhow::Result<TokenFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the token file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing the token file {}", path.display()))
}

/// Replaces a token file atomically (a new file renamed over the old one),
/// readable only by its owner: a server reading it never sees half a file.
pub fn write_token_file(path: &Path, file: &TokenFile) -> anyhow::Result<()> {
    let text = format!(
        "# budgetrad bearer tokens: only SHA-256 hashes of the secrets are kept here.\n{}",
        toml::to_string(file)?
    );
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&temporary);
    write_private(&temporary, &text)?;
    std::fs::rename(&temporary, path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// Writes `contents` to a new file readable only by its owner.
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// Loads the token file; on a first start (no file), creates it with one
/// bootstrap token holding every role and writes that token's secret to
/// `admin_token_path`. Returns the store and, when one was created, the path
/// of the secret.
pub fn load_or_bootstrap(
    tokens_path: &Path,
    admin_token_path: &Path,
) -> anyhow::Result<(TokenStore, Option<std::path::PathBuf>)> {
    if tokens_path.exists() {
        return Ok((TokenStore::from_file(read_token_file(tokens_path)?), None));
    }
    if admin_token_path.exists() {
        anyhow::bail!(
            "{} exists but {} does not: remove the stale secret or restore the token file",
            admin_token_path.display(),
            tokens_path.display()
        );
    }
    let secret = new_secret()?;
    let file = TokenFile {
        tokens: vec![TokenEntry {
            name: "bootstrap-admin".to_owned(),
            sha256: hash_secret(&secret),
            roles: Role::ALL.to_vec(),
            expires_at: None,
        }],
    };
    write_private(admin_token_path, &format!("{secret}\n"))?;
    write_token_file(tokens_path, &file)?;
    Ok((
        TokenStore::from_file(file),
        Some(admin_token_path.to_path_buf()),
    ))
}

/// The tokens the server accepts now. When they come from a file, the file
/// is watched ([`Tokens::reload_if_changed`]), so a token created or revoked
/// with `budgetrad token` takes effect without a restart.
pub struct Tokens {
    current: RwLock<Arc<TokenStore>>,
    file: Option<(PathBuf, Mutex<Option<FileStamp>>)>,
}

/// What tells a changed file: its modification time and length.
type FileStamp = (SystemTime, u64);

fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Tokens {
    /// A fixed set of tokens (tests, benchmarks).
    pub fn fixed(store: TokenStore) -> Arc<Tokens> {
        Arc::new(Tokens {
            current: RwLock::new(Arc::new(store)),
            file: None,
        })
    }

    /// Tokens read from `path`, to be reloaded when it changes.
    pub fn watched(path: PathBuf, store: TokenStore) -> Arc<Tokens> {
        let seen = stamp(&path);
        Arc::new(Tokens {
            current: RwLock::new(Arc::new(store)),
            file: Some((path, Mutex::new(seen))),
        })
    }

    pub fn current(&self) -> Arc<TokenStore> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            // A panic while swapping cannot leave a half-written Arc.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn is_watched(&self) -> bool {
        self.file.is_some()
    }

    /// Reads the file again if it changed since it was last read. On a file
    /// that does not parse, the tokens in force stay and the error is
    /// returned. `Ok(Some(n))` means `n` tokens are in force now.
    pub fn reload_if_changed(&self) -> anyhow::Result<Option<usize>> {
        let Some((path, seen)) = &self.file else {
            return Ok(None);
        };
        let now = stamp(path);
        let mut seen = seen
            .lock()
            .map_err(|_| anyhow::anyhow!("token watcher poisoned"))?;
        if now == *seen {
            return Ok(None);
        }
        *seen = now;
        let file = read_token_file(path)?;
        let count = file.tokens.len();
        let store = Arc::new(TokenStore::from_file(file));
        match self.current.write() {
            Ok(mut guard) => *guard = store,
            Err(poisoned) => *poisoned.into_inner() = store,
        }
        Ok(Some(count))
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
            return Err(Status::permission_denied(
                "this method is not open to any role",
            ));
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
                        Status::unauthenticated("the authorization metadata must be 'Bearer …'")
                    })?;
                self.layer
                    .tokens
                    .current()
                    .authenticate(secret, self.layer.clock.now())
                    .ok_or_else(|| {
                        Status::unauthenticated("the bearer token is unknown or expired")
                    })?
            }
            // Otherwise a client certificate (mutual TLS) mapped to a caller.
            None => match peer_subject(request) {
                Some(subject) => self.layer.clients.caller(&subject).ok_or_else(|| {
                    // A certificate subject names a service, not a person.
                    tracing::warn!(subject = %subject, "client certificate not mapped to a caller");
                    Status::unauthenticated("the client certificate is not mapped to a caller")
                })?,
                None => {
                    return Err(Status::unauthenticated(
                        "a bearer token (metadata 'authorization: Bearer …') or a client certificate is required",
                    ));
                }
            },
        };
        let Some(role) = required.iter().copied().find(|r| caller.roles.contains(r)) else {
            let needed: Vec<&str> = required.iter().map(|r| r.as_str()).collect();
            return Err(Status::permission_denied(format!(
                "this method needs one of the roles: {}",
                needed.join(", ")
            )));
        };
        Ok(Some((caller, Grant { method, role })))
    }
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
