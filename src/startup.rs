//! Wiring: open the store, load the credentials, build every service with
//! health and reflection, and serve until a shutdown signal, letting calls
//! in flight finish.

mod listener;
mod replica;

pub use listener::ConnectionLimits;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tonic::server::NamedService;
use tonic::transport::Server;
use tonic_health::ServingStatus;
use tower_http::classify::GrpcFailureClass;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::app::App;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::documents::kinds::Letterhead;
use crate::domain::money::Money;
use crate::domain::norms::NormKind;
use crate::domain::norms::status::{Coverage, WATCHED, missing, norm_status};
use crate::grpc::alert_service::AlertApi;
use crate::grpc::audit::AuditApi;
use crate::grpc::auth::{
    AuthLayer, BOOTSTRAP_LIFETIME, ClientCertificates, TOKENS_INTERVAL, Tokens, load_or_bootstrap,
};
use crate::grpc::budget_service::BudgetApi;
use crate::grpc::debt_service::DebtApi;
use crate::grpc::decode::DecodeErrorLayer;
use crate::grpc::document_service::DocumentApi;
use crate::grpc::followup_service::FollowUpApi;
use crate::grpc::household_service::HouseholdApi;
use crate::grpc::limits::{BodyDeadlineLayer, ShedLayer, quarter};
use crate::grpc::norm_service::{AdminApi, NormApi};
use crate::grpc::payment_service::PaymentApi;
use crate::grpc::payout_service::PayoutApi;
use crate::grpc::rent_check_service::{RentCheckApi, StreamLimits};
use crate::grpc::rent_service::RentApi;
use crate::pb;

use pb::admin_service_server::AdminServiceServer;
use pb::alert_service_server::AlertServiceServer;
use pb::audit_service_server::AuditServiceServer;
use pb::budget_service_server::BudgetServiceServer;
use pb::debt_service_server::DebtServiceServer;
use pb::document_service_server::DocumentServiceServer;
use pb::follow_up_service_server::FollowUpServiceServer;
use pb::household_service_server::HouseholdServiceServer;
use pb::norm_service_server::NormServiceServer;
use pb::payment_service_server::PaymentServiceServer;
use pb::payout_service_server::PayoutServiceServer;
use pb::rent_check_service_server::RentCheckServiceServer;
use pb::rent_plan_service_server::RentPlanServiceServer;

/// Our services' full names, for health and reflection.
pub const SERVICE_NAMES: &[&str] = &[
    <NormServiceServer<NormApi> as NamedService>::NAME,
    <AdminServiceServer<AdminApi> as NamedService>::NAME,
    <HouseholdServiceServer<HouseholdApi> as NamedService>::NAME,
    <BudgetServiceServer<BudgetApi> as NamedService>::NAME,
    <DebtServiceServer<DebtApi> as NamedService>::NAME,
    <RentPlanServiceServer<RentApi> as NamedService>::NAME,
    <PayoutServiceServer<PayoutApi> as NamedService>::NAME,
    <PaymentServiceServer<PaymentApi> as NamedService>::NAME,
    <RentCheckServiceServer<RentCheckApi> as NamedService>::NAME,
    <AuditServiceServer<AuditApi> as NamedService>::NAME,
    <AlertServiceServer<AlertApi> as NamedService>::NAME,
    <FollowUpServiceServer<FollowUpApi> as NamedService>::NAME,
    <DocumentServiceServer<DocumentApi> as NamedService>::NAME,
];

/// The health service name whose status tells whether bearer tokens are
/// accepted: NOT_SERVING while the token file is missing or does not parse
/// (client certificates still work then). Not a gRPC service of its own.
pub const CREDENTIALS_HEALTH: &str = "budgetrad.v1.Credentials";

/// The health service name whose status tells whether the norm tables the
/// coming calculations need are loaded: NOT_SERVING while a needed period
/// has no table (`NormService.GetNormStatus` names it). Overall health ("")
/// does not depend on it. Not a gRPC service of its own.
pub const NORM_TABLES_HEALTH: &str = "budgetrad.v1.NormTables";

/// The detail of [`NORM_TABLES_HEALTH`]: one health service name per watched
/// norm kind, `budgetrad.v1.NormTables.riksnorm`, `….normalbelopp` and
/// `….referensranta`, NOT_SERVING while a period of that kind needed now or
/// ahead has no table (as the replica's lag is `budgetrad.v1.ReadReplica`).
/// So health alone says which table to load before its period starts.
pub fn norm_kind_health(kind: NormKind) -> String {
    format!("{NORM_TABLES_HEALTH}.{}", kind.as_str())
}

pub use replica::READ_REPLICA_HEALTH;

/// How often the database is pinged for the health status.
const HEALTH_INTERVAL: Duration = Duration::from_secs(1);
/// How long a ping may take before the database counts as unreachable.
/// PostgreSQL is pinged on a connection of its own, so a busy pool does not
/// slow the ping: an outage is seen within about two seconds.
const PING_TIMEOUT: Duration = Duration::from_secs(1);

/// Options of a running server that tests and the binary both set.
#[derive(Clone)]
pub struct ServeOptions {
    /// TLS for the server, with client certificates when a client CA is set.
    pub tls: Option<tonic::transport::ServerTlsConfig>,
    /// Callers known by client certificate subject.
    pub clients: Arc<ClientCertificates>,
    pub max_message_bytes: usize,
    /// `budgetrad.v1` calls in flight before more are shed.
    pub max_concurrent_calls: usize,
    /// The cap on any call's deadline.
    pub max_call_duration: Duration,
    /// Rent-check streams at once, and how long one may stall.
    pub streams: StreamLimits,
    /// Time between seals of the audit chain.
    pub audit_seal_interval: Duration,
    /// Connections open at once, and how long one may stay silent.
    pub connections: ConnectionLimits,
    /// How long a unary call's request body may take to arrive.
    pub request_body: Duration,
    /// `budgetrad.v1` calls in flight of any one caller.
    pub max_calls_per_caller: usize,
    /// Time between sweeps of the date-driven alerts.
    pub alert_sweep_interval: Duration,
    /// How often a WatchAlerts stream looks for new alerts.
    pub alert_poll_interval: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            tls: None,
            clients: Arc::new(ClientCertificates::default()),
            max_message_bytes: 4 * 1024 * 1024,
            max_concurrent_calls: 256,
            max_call_duration: Duration::from_secs(30),
            streams: StreamLimits::default(),
            audit_seal_interval: Duration::from_secs(10),
            connections: ConnectionLimits::default(),
            request_body: Duration::from_secs(5),
            max_calls_per_caller: quarter(256),
            alert_sweep_interval: Duration::from_secs(300),
            alert_poll_interval: Duration::from_secs(1),
        }
    }
}

/// Runs the server of the binary: configuration in, until SIGINT or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    // What the configuration alone can refuse is refused before anything is
    // written: no token file, secret or database appears for a server that
    // was never going to start.
    let tls = tls_config(&config)?;
    let payments = config.payment_settings()?;
    check_transport(config.listen, tls.is_some(), config.allow_plaintext)?;
    if let Some(read_url) = &config.read_database_url {
        replica::check_urls(&config.database_url, read_url)?;
    }
    if let Some(tls) = tls.clone() {
        // Parses the certificate and key now, not after the files exist.
        Server::builder()
            .tls_config(tls)
            .context("configuring TLS")?;
    }
    let clients = match &config.client_certificates {
        Some(path) => ClientCertificates::from_file(path)?,
        None => ClientCertificates::default(),
    };
    // An address that is taken or not this host's fails here, too.
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;

    let now = SystemClock.now();
    let (tokens, created) = load_or_bootstrap(&config.tokens_file, &config.admin_token_file, now)?;
    if let Some(path) = created {
        tracing::warn!(
            secret_file = %path.display(),
            tokens_file = %config.tokens_file.display(),
            expires_at = %(now + BOOTSTRAP_LIFETIME).to_rfc3339(),
            "first start: created a bootstrap token with every role, valid for 7 days; its secret is in the secret file (readable only by you). budgetrad-cli reads it from there by default. Create the real tokens with `budgetrad token create` before it expires"
        );
    }
    let store = match &config.read_database_url {
        None => {
            crate::store::connect(&config.database_url, config.migrate_database_url.as_deref())
                .await?
        }
        Some(read_url) => {
            crate::store::connect_with_replica(
                &config.database_url,
                config.migrate_database_url.as_deref(),
                read_url,
                Duration::from_secs(config.max_replica_lag_seconds),
            )
            .await?
        }
    };
    tracing::info!(
        backend = ?store.backend(),
        separate_migration_role = config.migrate_database_url.is_some(),
        "database ready, migrations applied"
    );
    tracing::info!(address = %listener.local_addr()?, "serving gRPC");
    let app = App::configured(
        store,
        Arc::new(SystemClock),
        Money::from_kronor(i64::from(config.max_payout_kr)),
        config.default_unit.clone(),
        payments,
        Letterhead {
            municipality: config.municipality_name.clone(),
            unit: config.municipality_unit.clone(),
        },
    );
    crate::documents::warm_up();
    let connections = connection_cap(config.max_connections as usize);
    let options = ServeOptions {
        tls,
        clients: Arc::new(clients),
        max_message_bytes: config.max_message_bytes,
        max_concurrent_calls: config.max_concurrent_calls as usize,
        max_call_duration: Duration::from_secs(config.max_call_seconds),
        streams: StreamLimits {
            max_streams: config.max_rent_check_streams as usize,
            per_caller: config
                .max_rent_check_streams_per_caller
                .map_or(quarter(config.max_rent_check_streams as usize), |n| {
                    n as usize
                }),
            stall: Duration::from_secs(config.stream_stall_seconds),
        },
        audit_seal_interval: Duration::from_secs(config.audit_seal_seconds),
        connections: ConnectionLimits {
            max_connections: connections,
            silence: Duration::from_secs(config.silence_seconds),
        },
        request_body: Duration::from_secs(config.request_body_seconds),
        max_calls_per_caller: config
            .max_calls_per_caller
            .map_or(quarter(config.max_concurrent_calls as usize), |n| {
                n as usize
            }),
        alert_sweep_interval: Duration::from_secs(config.alert_sweep_seconds),
        alert_poll_interval: Duration::from_secs(1),
    };
    let tokens = Tokens::watched(config.tokens_file.clone(), tokens);
    serve(listener, app, tokens, options, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// The server's TLS from its certificate and key files; with a client CA,
/// client certificates are verified against it (and optional: a caller may
/// use a bearer token instead).
fn tls_config(config: &Config) -> anyhow::Result<Option<tonic::transport::ServerTlsConfig>> {
    use tonic::transport::{Certificate, Identity, ServerTlsConfig};
    let read = |path: &std::path::Path| {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))
    };
    let (cert, key) = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => (read(cert)?, read(key)?),
        (None, None) => {
            if config.tls_client_ca.is_some() {
                anyhow::bail!("--tls-client-ca needs --tls-cert and --tls-key");
            }
            return Ok(None);
        }
        _ => anyhow::bail!("give both --tls-cert and --tls-key"),
    };
    let mut tls = ServerTlsConfig::new().identity(Identity::from_pem(cert, key));
    if let Some(ca) = &config.tls_client_ca {
        tls = tls
            .client_ca_root(Certificate::from_pem(read(ca)?))
            .client_auth_optional(true);
    }
    Ok(Some(tls))
}

/// Plain TCP only on a loopback address, unless the operator says so (for
/// instance behind a proxy that terminates TLS).
pub fn check_transport(
    listen: std::net::SocketAddr,
    tls: bool,
    allow_plaintext: bool,
) -> anyhow::Result<()> {
    if tls || allow_plaintext || listen.ip().is_loopback() {
        return Ok(());
    }
    anyhow::bail!(
        "refusing plain TCP on {listen}, which is not a loopback address: configure --tls-cert and --tls-key, or pass --allow-plaintext (e.g. behind a proxy that terminates TLS)"
    )
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested: finishing calls in flight");
}

/// Serves every service on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    app: Arc<App>,
    tokens: Arc<Tokens>,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (health, health_service) = tonic_health::server::health_reporter();
    // The first status is known before the first call is accepted.
    let first = check_database(&app, &health, None).await;
    let health_task = tokio::spawn(watch_database(app.clone(), health.clone(), first));
    health
        .set_service_status(CREDENTIALS_HEALTH, credentials_status(&tokens))
        .await;
    let tokens_task = tokens
        .is_watched()
        .then(|| tokio::spawn(watch_tokens(tokens.clone(), health.clone())));
    let first_norms = check_norms(&app, &health, None).await;
    let norms_task = tokio::spawn(watch_norms(app.clone(), health.clone(), first_norms));
    let seal_task = tokio::spawn(seal_audit(app.clone(), options.audit_seal_interval));
    let sweep_task = tokio::spawn(sweep_alerts(app.clone(), options.alert_sweep_interval));
    let replica_task = replica::watch(app.clone(), health.clone(), HEALTH_INTERVAL).await;
    // Streams that would otherwise outlive a graceful shutdown (WatchAlerts)
    // end when it begins.
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let shutdown = async move {
        shutdown.await;
        let _ = stop.send(true);
    };

    let reflection = |builder: tonic_reflection::server::Builder<'static>| {
        let mut builder = builder
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
            .with_service_name("grpc.health.v1.Health");
        for name in SERVICE_NAMES {
            builder = builder.with_service_name(*name);
        }
        builder
    };
    let reflection_v1 = reflection(tonic_reflection::server::Builder::configure()).build_v1()?;
    let reflection_v1alpha =
        reflection(tonic_reflection::server::Builder::configure()).build_v1alpha()?;

    let max = options.max_message_bytes;
    let clock: Arc<dyn Clock> = app.clock.clone();
    let layers = tower::ServiceBuilder::new()
        .layer(trace_layer())
        .layer(DecodeErrorLayer)
        .layer(AuthLayer::new(tokens, options.clients.clone(), clock))
        .layer(BodyDeadlineLayer::new(
            options.request_body,
            options.max_message_bytes,
        ))
        .layer(ShedLayer::new(
            options.max_concurrent_calls,
            options.max_calls_per_caller,
            app.database.clone(),
        ))
        .into_inner();

    let mut builder = Server::builder();
    if let Some(tls) = options.tls.clone() {
        builder = builder.tls_config(tls).context("configuring TLS")?;
    }
    let result = builder
        // tonic honours the client's grpc-timeout and caps it at this.
        .timeout(options.max_call_duration)
        // A connection that has spoken is pinged when it falls silent and
        // closed when it does not answer: silent for `silence` in all.
        .http2_keepalive_interval(Some(options.connections.silence / 2))
        .http2_keepalive_timeout(Some(options.connections.silence / 2))
        .layer(layers)
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(
            NormServiceServer::new(NormApi::new(app.clone())).max_decoding_message_size(max),
        )
        .add_service(
            AdminServiceServer::new(AdminApi::new(app.clone())).max_decoding_message_size(max),
        )
        .add_service(
            HouseholdServiceServer::new(HouseholdApi::new(app.clone()))
                .max_decoding_message_size(max),
        )
        .add_service(
            BudgetServiceServer::new(BudgetApi::new(app.clone())).max_decoding_message_size(max),
        )
        .add_service(
            DebtServiceServer::new(DebtApi::new(app.clone())).max_decoding_message_size(max),
        )
        .add_service(
            RentPlanServiceServer::new(RentApi::new(app.clone())).max_decoding_message_size(max),
        )
        .add_service(
            PayoutServiceServer::new(PayoutApi::new(app.clone())).max_decoding_message_size(max),
        )
        .add_service(
            PaymentServiceServer::new(PaymentApi::new(app.clone())).max_decoding_message_size(max),
        )
        .add_service(
            RentCheckServiceServer::new(RentCheckApi::new(app.clone(), options.streams))
                .max_decoding_message_size(max),
        )
        .add_service(
            AuditServiceServer::new(AuditApi::new(app.clone())).max_decoding_message_size(max),
        )
        .add_service(
            AlertServiceServer::new(AlertApi::new(
                app.clone(),
                options.alert_poll_interval,
                stopping,
            ))
            .max_decoding_message_size(max),
        )
        .add_service(
            FollowUpServiceServer::new(FollowUpApi::new(app.clone()))
                .max_decoding_message_size(max),
        )
        .add_service(
            DocumentServiceServer::new(DocumentApi::new(app.clone()))
                .max_decoding_message_size(max),
        )
        .serve_with_incoming_shutdown(listener::incoming(listener, options.connections), shutdown)
        .await;
    health_task.abort();
    norms_task.abort();
    seal_task.abort();
    sweep_task.abort();
    if let Some(task) = replica_task {
        task.abort();
    }
    if let Some(task) = tokens_task {
        task.abort();
    }
    result.context("serving gRPC")
}

/// SERVING while bearer tokens are accepted.
fn credentials_status(tokens: &Tokens) -> ServingStatus {
    if tokens.current().is_some() {
        ServingStatus::Serving
    } else {
        ServingStatus::NotServing
    }
}

/// Reloads the token file when it changes (checked every
/// [`TOKENS_INTERVAL`]). A file that is gone or does not parse refuses every
/// bearer token until it is restored: said in the log and by the health
/// status of [`CREDENTIALS_HEALTH`].
async fn watch_tokens(tokens: Arc<Tokens>, health: tonic_health::server::HealthReporter) {
    let mut last = credentials_status(&tokens);
    loop {
        tokio::time::sleep(TOKENS_INTERVAL).await;
        match tokens.reload_if_changed() {
            Ok(Some(count)) => tracing::info!(tokens = count, "token file reloaded"),
            Ok(None) => {}
            Err(error) => tracing::error!(
                error = format!("{error:#}"),
                "the token file is missing or does not parse: every bearer token is refused until it is restored (client certificates still work)"
            ),
        }
        let status = credentials_status(&tokens);
        if status != last {
            if status == ServingStatus::Serving {
                tracing::info!("the token file is readable again: bearer tokens are accepted");
            }
            health.set_service_status(CREDENTIALS_HEALTH, status).await;
            last = status;
        }
    }
}

/// Keeps the health status of [`NORM_TABLES_HEALTH`] in step with the norm
/// tables and the date (checked every [`HEALTH_INTERVAL`]; the tables come
/// from the norm cache, so the database is read at most once per its TTL).
async fn watch_norms(
    app: Arc<App>,
    health: tonic_health::server::HealthReporter,
    mut last: Option<Vec<String>>,
) {
    loop {
        tokio::time::sleep(HEALTH_INTERVAL).await;
        last = check_norms(&app, &health, last).await;
    }
}

/// The needed norm periods without a table as of today; publishes the
/// status and logs once when that list changes. While the tables cannot be
/// read the last status stands (the database's own health says why).
async fn check_norms(
    app: &App,
    health: &tonic_health::server::HealthReporter,
    last: Option<Vec<String>>,
) -> Option<Vec<String>> {
    let Ok(tables) = app.norms.all().await else {
        return last;
    };
    let statuses = norm_status(&tables, app.clock.today());
    let now = missing(&statuses);
    if last.as_ref() != Some(&now) {
        for kind in WATCHED {
            let lacking = statuses
                .iter()
                .any(|s| s.period.kind == kind && s.coverage == Coverage::Missing);
            let status = if lacking {
                ServingStatus::NotServing
            } else {
                ServingStatus::Serving
            };
            health
                .set_service_status(norm_kind_health(kind), status)
                .await;
        }
        let status = if now.is_empty() {
            tracing::info!("every norm table needed now and ahead is loaded: NormTables SERVING");
            ServingStatus::Serving
        } else {
            tracing::warn!(
                missing = %now.join(", "),
                "norm tables needed now or ahead are not loaded: NormTables NOT_SERVING; calculations for those periods fail with NORM_TABLE_MISSING until an operator loads them (`budgetrad-cli norms status`, `budgetrad-cli norms import FILE`)"
            );
            ServingStatus::NotServing
        };
        health.set_service_status(NORM_TABLES_HEALTH, status).await;
    }
    Some(now)
}

/// File descriptors the process keeps for itself beside its connections:
/// the database pool, the log, the token file, the listener.
const RESERVED_FILES: u64 = 256;

/// The open-connection cap: `wanted`, after raising the process's file
/// limit to its hard limit, and lowered (with a warning) when even that
/// leaves too few descriptors, so the cap is met before the file limit is.
fn connection_cap(wanted: usize) -> usize {
    let limit = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!(error = %error, "the open-file limit could not be read or raised");
            return wanted;
        }
    };
    let room = usize::try_from(limit.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    if room < wanted {
        tracing::warn!(
            open_file_limit = limit,
            max_connections = room.max(1),
            "the open-file limit leaves room for fewer connections than --max-connections"
        );
        return room.max(1);
    }
    tracing::info!(
        open_file_limit = limit,
        max_connections = wanted,
        "connection limit set"
    );
    wanted
}

/// Extends the audit chain over the audit rows written since the last
/// seal, every `interval`. A failed seal is retried at the next; the rows
/// wait, unchanged, and VerifyLedger reports them as unsealed meanwhile.
async fn seal_audit(app: Arc<App>, interval: Duration) {
    loop {
        tokio::time::sleep(interval).await;
        match app.store.seal_audit().await {
            Ok(0) => {}
            Ok(rows) => tracing::debug!(rows, "audit chain sealed"),
            Err(error) => tracing::warn!(
                error = format!("{error:#}"),
                "sealing the audit chain failed: retrying at the next interval"
            ),
        }
    }
}

/// Raises and closes the date-driven alerts as of today, every `interval`
/// (one server at a time does the work: `AlertStore::sweep_alerts`). A
/// failed sweep is retried at the next.
async fn sweep_alerts(app: Arc<App>, interval: Duration) {
    loop {
        tokio::time::sleep(interval).await;
        match app
            .store
            .sweep_alerts(app.clock.today(), app.clock.now())
            .await
        {
            Ok(outcome) if outcome.skipped => {
                tracing::debug!("another server is sweeping the alerts")
            }
            Ok(outcome) => tracing::debug!(
                raised = outcome.raised,
                closed = outcome.closed,
                "alerts swept"
            ),
            Err(error) => tracing::warn!(
                error = format!("{error:#}"),
                "sweeping the alerts failed: retrying at the next interval"
            ),
        }
    }
}

/// Keeps the health status in step with the database: SERVING while it
/// answers, NOT_SERVING while it does not.
async fn watch_database(
    app: Arc<App>,
    health: tonic_health::server::HealthReporter,
    mut last: ServingStatus,
) {
    loop {
        tokio::time::sleep(HEALTH_INTERVAL).await;
        last = check_database(&app, &health, Some(last)).await;
    }
}

/// Pings the database and publishes the status if it changed.
async fn check_database(
    app: &App,
    health: &tonic_health::server::HealthReporter,
    last: Option<ServingStatus>,
) -> ServingStatus {
    let ok = matches!(
        tokio::time::timeout(PING_TIMEOUT, app.store.ping()).await,
        Ok(Ok(()))
    );
    app.database.set_reachable(ok);
    let status = if ok {
        ServingStatus::Serving
    } else {
        ServingStatus::NotServing
    };
    if last != Some(status) {
        if ok {
            tracing::info!("database reachable: SERVING");
        } else {
            tracing::warn!("database unreachable: NOT_SERVING");
        }
        health.set_service_status("", status).await;
        for name in SERVICE_NAMES {
            health.set_service_status(*name, status).await;
        }
    }
    status
}

type HttpRequest = tonic::codegen::http::Request<tonic::body::Body>;

/// The trace layer of [`trace_layer`], spelled out once.
type CallTrace = TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::GrpcErrorsAsFailures>,
    fn(&HttpRequest) -> Span,
    (),
    (),
    (),
    fn(Option<&tonic::codegen::http::HeaderMap>, Duration, &Span),
    fn(GrpcFailureClass, Duration, &Span),
>;

/// One span per call, naming the method; its end is logged with the gRPC
/// status code and the latency. Nothing of the request's content is logged.
fn trace_layer() -> CallTrace {
    TraceLayer::new_for_grpc()
        .make_span_with(call_span as fn(&HttpRequest) -> Span)
        .on_request(())
        .on_response(())
        .on_body_chunk(())
        .on_eos(call_finished as fn(Option<&tonic::codegen::http::HeaderMap>, Duration, &Span))
        .on_failure(call_failed as fn(GrpcFailureClass, Duration, &Span))
}

fn call_span(request: &HttpRequest) -> Span {
    tracing::info_span!(
        "call",
        method = %request.uri().path(),
        caller = tracing::field::Empty,
    )
}

fn call_finished(
    _trailers: Option<&tonic::codegen::http::HeaderMap>,
    latency: Duration,
    _span: &Span,
) {
    tracing::info!(
        code = "OK",
        latency_us = latency.as_micros() as u64,
        "call finished"
    );
}

fn call_failed(failure: GrpcFailureClass, latency: Duration, _span: &Span) {
    let latency_us = latency.as_micros() as u64;
    match failure {
        // Only the code: the message stays out of the log.
        GrpcFailureClass::Status(status) => {
            let code = tonic::Code::from_i32(status.code_raw());
            match code {
                tonic::Code::Internal
                | tonic::Code::Unknown
                | tonic::Code::DataLoss
                | tonic::Code::Unavailable => {
                    tracing::warn!(code = ?code, latency_us, "call failed")
                }
                _ => tracing::info!(code = ?code, latency_us, "call finished"),
            }
        }
        // The enum is non-exhaustive; its other case is a transport error.
        _ => tracing::warn!(latency_us, "call failed in transport"),
    }
}
