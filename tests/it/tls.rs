//! TLS and mutual TLS: certificates made at test time (rcgen). A client with
//! a certificate from the configured CA gets in with its mapped roles; one
//! from another CA, or with none (and no token), is refused.

use std::sync::Arc;

use budgetrad::grpc::auth::{ClientCertificates, ClientEntry, Role, Tokens};
use budgetrad::pb;
use budgetrad::startup::{ServeOptions, check_transport};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use tonic::Code;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity, ServerTlsConfig};

use crate::helpers::*;

struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().expect("a key");
        Ca {
            issuer: CertifiedIssuer::self_signed(params, key).expect("a CA"),
        }
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A certificate (PEM) and its key (PEM) for `common_name`, with `names`
    /// as subject alternative names.
    fn issue(&self, common_name: &str, names: &[&str]) -> (String, String) {
        let mut params =
            CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
                .expect("params");
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        params
            .distinguished_name
            .push(DnType::OrganizationName, "Exempel kommun");
        let key = KeyPair::generate().expect("a key");
        let certificate = params.signed_by(&key, &*self.issuer).expect("signed");
        (certificate.pem(), key.serialize_pem())
    }
}

/// A server speaking TLS only, with a certificate for `localhost` from
/// `ca`, client certificates from `ca` optional, and one bearer token (the
/// all-roles secret, mapped to a counsellor).
/// The bearer tokens of the TLS tests: one, `token-user`, a counsellor.
fn tls_token_file() -> budgetrad::grpc::auth::TokenFile {
    budgetrad::grpc::auth::TokenFile {
        tokens: vec![budgetrad::grpc::auth::TokenEntry {
            name: "token-user".into(),
            sha256: budgetrad::grpc::auth::hash_secret(ALL_ROLES_SECRET),
            roles: vec![Role::Counsellor],
            units: None,
            expires_at: None,
            signature: None,
        }],
    }
}

async fn tls_server(ca: &Ca, clients: ClientCertificates) -> TestApp {
    let tokens = Tokens::fixed(budgetrad::grpc::auth::TokenStore::from_file(
        tls_token_file(),
    ));
    tls_server_with(ca, clients, tokens).await
}

async fn tls_server_with(ca: &Ca, clients: ClientCertificates, tokens: Arc<Tokens>) -> TestApp {
    let (cert, key) = ca.issue("budgetrad.test", &["localhost", "127.0.0.1"]);
    let options = ServeOptions {
        tls: Some(
            ServerTlsConfig::new()
                .identity(Identity::from_pem(cert, key))
                .client_ca_root(Certificate::from_pem(ca.pem()))
                .client_auth_optional(true),
        ),
        clients: Arc::new(clients),
        ..ServeOptions::default()
    };
    TestApp::builder(budgetrad::store::Backend::Sqlite)
        .options(options)
        .tokens(tokens)
        .spawn()
        .await
}

/// Lists households over TLS trusting `ca`, with an optional client
/// identity and token; the status code, or UNAVAILABLE when no connection
/// could be made (a refused handshake).
async fn list(
    addr: std::net::SocketAddr,
    ca: &Ca,
    identity: Option<(String, String)>,
    token: Option<&str>,
) -> Code {
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca.pem()))
        .domain_name("localhost");
    if let Some((cert, key)) = identity {
        tls = tls.identity(Identity::from_pem(cert, key));
    }
    let channel = match Channel::from_shared(format!("https://{addr}"))
        .expect("a URI")
        .tls_config(tls)
        .expect("a TLS config")
        .connect()
        .await
    {
        Ok(channel) => channel,
        Err(_) => return Code::Unavailable,
    };
    let mut client = pb::household_service_client::HouseholdServiceClient::new(channel);
    let mut request = tonic::Request::new(pb::ListHouseholdsRequest::default());
    if let Some(token) = token {
        request.metadata_mut().insert(
            "authorization",
            format!("Bearer {token}").parse().expect("ASCII"),
        );
    }
    match client.list_households(request).await {
        Ok(_) => Code::Ok,
        Err(status) => status.code(),
    }
}

#[tokio::test]
async fn a_missing_token_file_leaves_client_certificates_working() {
    let ca = Ca::new("Exempel kommun test CA");
    let clients = ClientCertificates::from_entries(vec![ClientEntry {
        subject: "CN=viva-test, O=Exempel kommun".into(),
        name: "viva-test".into(),
        roles: vec![Role::Caseworker],
        units: None,
    }]);
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("tokens.toml");
    budgetrad::grpc::auth::write_token_file(&path, &tls_token_file()).expect("the file");
    let store = budgetrad::grpc::auth::TokenStore::from_file(
        budgetrad::grpc::auth::read_token_file(&path).expect("reads"),
    );
    let server = tls_server_with(&ca, clients, Tokens::watched(path.clone(), store)).await;
    let addr = server.addr();
    assert_eq!(
        list(addr, &ca, None, Some(ALL_ROLES_SECRET)).await,
        Code::Ok
    );

    std::fs::remove_file(&path).expect("deleted");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while list(addr, &ca, None, Some(ALL_ROLES_SECRET)).await != Code::Unauthenticated {
        assert!(
            std::time::Instant::now() < deadline,
            "the token still works"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    // The bearer token is refused; the certificate still gets in.
    assert_eq!(
        list(addr, &ca, Some(ca.issue("viva-test", &[])), None).await,
        Code::Ok
    );
}

#[tokio::test]
async fn mutual_tls_maps_certificates_to_callers() {
    let ca = Ca::new("Exempel kommun test CA");
    let other_ca = Ca::new("Another CA");
    let clients = ClientCertificates::from_entries(vec![
        ClientEntry {
            subject: "CN=viva-test, O=Exempel kommun".into(),
            name: "viva-test".into(),
            roles: vec![Role::Caseworker],
            units: None,
        },
        ClientEntry {
            subject: "CN=auditor-test, O=Exempel kommun".into(),
            name: "auditor-test".into(),
            roles: vec![Role::Auditor],
            units: None,
        },
    ]);
    let server = tls_server(&ca, clients).await;
    let addr = server.addr();

    // A certificate from the configured CA, mapped to a caseworker: in.
    assert_eq!(
        list(addr, &ca, Some(ca.issue("viva-test", &[])), None).await,
        Code::Ok
    );
    // Mapped, but to a role this RPC does not accept.
    assert_eq!(
        list(addr, &ca, Some(ca.issue("auditor-test", &[])), None).await,
        Code::PermissionDenied
    );
    // From the configured CA but not mapped to any caller.
    assert_eq!(
        list(addr, &ca, Some(ca.issue("stranger", &[])), None).await,
        Code::Unauthenticated
    );
    // Neither a certificate nor a token.
    assert_eq!(list(addr, &ca, None, None).await, Code::Unauthenticated);
    // A bearer token still works over TLS.
    assert_eq!(
        list(addr, &ca, None, Some(ALL_ROLES_SECRET)).await,
        Code::Ok
    );
    // The same subject from another CA: the handshake refuses it.
    let refused = list(addr, &ca, Some(other_ca.issue("viva-test", &[])), None).await;
    assert_ne!(refused, Code::Ok);
    // Plain text to a TLS server gets nothing.
    let plain = Channel::from_shared(format!("http://{addr}"))
        .expect("a URI")
        .connect()
        .await;
    if let Ok(channel) = plain {
        let result = pb::household_service_client::HouseholdServiceClient::new(channel)
            .list_households(pb::ListHouseholdsRequest::default())
            .await;
        assert!(result.is_err());
    }
}

#[test]
fn plain_tcp_only_on_loopback_unless_allowed() {
    let public: std::net::SocketAddr = "0.0.0.0:50051".parse().expect("an address");
    let loopback: std::net::SocketAddr = "127.0.0.1:50051".parse().expect("an address");
    assert!(check_transport(loopback, false, false).is_ok());
    assert!(check_transport(public, false, false).is_err());
    assert!(check_transport(public, true, false).is_ok());
    assert!(check_transport(public, false, true).is_ok());
}

#[tokio::test]
async fn the_cli_reaches_a_tls_server_with_its_ca() {
    let ca = Ca::new("Exempel kommun test CA");
    let server = tls_server(&ca, ClientCertificates::default()).await;
    let addr = server.addr();
    let dir = tempfile::tempdir().expect("a temp dir");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).expect("the CA file");
    let server = format!("https://127.0.0.1:{}", addr.port());
    let run = move |with_ca: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad-cli"));
        command.args([
            "--server",
            &server,
            "--token",
            ALL_ROLES_SECRET,
            "--json",
            "norms",
            "list",
        ]);
        if with_ca {
            command.arg("--ca-cert").arg(&ca_file);
        }
        command.output().expect("budgetrad-cli runs")
    };
    let output = tokio::task::spawn_blocking(move || (run(true), run(false)))
        .await
        .expect("the CLI ran");
    let (with_ca, without_ca) = output;
    assert!(
        with_ca.status.success(),
        "{}",
        String::from_utf8_lossy(&with_ca.stderr)
    );
    assert!(String::from_utf8_lossy(&with_ca.stdout).contains("riksnorm-2026"));
    // Without the CA it says what is missing, and exits 2 (a usage error).
    assert_eq!(without_ca.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&without_ca.stderr).contains("--ca-cert"));
}
