//! The connection to the server and the credential sent on every call.
//!
//! The secret is looked for in order: `--token` / `BUDGETRAD_TOKEN`, then the
//! file named by `--token-file` / `BUDGETRAD_TOKEN_FILE`, by default
//! `budgetrad-admin.token` in the working directory (the server writes its
//! bootstrap admin token there on its first start). It is attached as
//! `authorization: Bearer <secret>` by an interceptor, marked sensitive so
//! that no debug output of the request shows it, and the CLI never prints it:
//! messages say only where it came from.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::Interceptor;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic::{Request, Status};

use crate::cli::names::words::{io_reason, w, wf};

/// The file the server writes its bootstrap admin token to.
pub const DEFAULT_TOKEN_FILE: &str = "budgetrad-admin.token";

/// How long to wait for the TCP and HTTP/2 connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The deadline of each call: long enough for a large page of households,
/// short enough that a hung server does not hang a counsellor's terminal.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// A bearer secret. Its `Debug` is redacted so that it cannot leak through
/// an error or a log line.
#[derive(Clone)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The token and a description of where it was found, for messages.
#[derive(Debug, Clone)]
pub struct Credential {
    secret: Secret,
    pub source: String,
}

/// Finds the token, or explains where it looked and how to give one.
pub fn find_token(token: Option<&str>, token_file: Option<&Path>) -> Result<Credential, String> {
    if let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) {
        return Ok(Credential {
            secret: Secret(token.to_owned()),
            source: "--token / BUDGETRAD_TOKEN".to_owned(),
        });
    }
    let (path, explicit) = match token_file {
        Some(p) => (p.to_owned(), true),
        None => (PathBuf::from(DEFAULT_TOKEN_FILE), false),
    };
    let shown = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
    let how = w(
        "Ge en token med --token eller BUDGETRAD_TOKEN, eller ange en fil med den på en rad med --token-file eller BUDGETRAD_TOKEN_FILE. Servern skriver sin admin-token till budgetrad-admin.token i sin arbetskatalog vid första starten.",
    );
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let token = text.trim();
            if token.is_empty() {
                Err(wf(
                    "Ingen token: tokenfilen {} är tom.\n{}",
                    &[&shown.display(), &how],
                ))
            } else {
                Ok(Credential {
                    secret: Secret(token.to_owned()),
                    source: wf("filen {}", &[&shown.display()]),
                })
            }
        }
        Err(e) => {
            let which = if explicit {
                w("tokenfilen som --token-file / BUDGETRAD_TOKEN_FILE anger")
            } else {
                w("standardtokenfilen")
            };
            Err(wf(
                "Ingen token: --token och BUDGETRAD_TOKEN är inte satta, och {} {} kan inte läsas ({}).\n{}",
                &[&which, &shown.display(), &io_reason(&e), &how],
            ))
        }
    }
}

/// Adds `authorization: Bearer <secret>` to every call.
#[derive(Clone)]
pub struct BearerAuth {
    header: MetadataValue<Ascii>,
}

impl BearerAuth {
    pub fn new(credential: &Credential) -> Result<Self, String> {
        let mut header: MetadataValue<Ascii> = format!("Bearer {}", credential.secret.0)
            .parse()
            .map_err(|_| {
                wf(
                    "Token från {} innehåller tecken som inte kan skickas i ett huvud (den ska vara en rad vanlig text).",
                    &[&credential.source],
                )
            })?;
        header.set_sensitive(true);
        Ok(Self { header })
    }
}

impl Interceptor for BearerAuth {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request
            .metadata_mut()
            .insert("authorization", self.header.clone());
        Ok(request)
    }
}

/// Why no channel could be opened.
#[derive(Debug)]
pub enum ConnectError {
    /// The URL itself is wrong: the user's input.
    BadUrl(String),
    /// The server could not be reached.
    Unreachable(String),
}

/// Opens a channel to the server. It connects eagerly so that an unreachable
/// server is reported once, in words, before any request is built.
/// For `https://`, the server's certificate is verified against `ca_cert`
/// (a PEM file: the municipality's own CA); the CLI carries no public roots.
pub async fn channel(server: &str, ca_cert: Option<&Path>) -> Result<Channel, ConnectError> {
    // A URL without a scheme parses as a relative URI and would only fail
    // at connect time, looking like an unreachable server.
    if !(server.starts_with("http://") || server.starts_with("https://")) {
        return Err(ConnectError::BadUrl(wf(
            "Serveradressen \"{}\" ska börja med http:// eller https://, som http://127.0.0.1:50051.",
            &[&server],
        )));
    }
    let endpoint = Endpoint::from_shared(server.to_owned())
        .map_err(|e| {
            ConnectError::BadUrl(wf(
                "Serveradressen \"{}\" är ingen giltig URL ({}); skriv den som http://127.0.0.1:50051.",
                &[&server, &e],
            ))
        })?
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(CALL_TIMEOUT);
    let endpoint = if server.starts_with("https://") {
        let Some(path) = ca_cert else {
            return Err(ConnectError::BadUrl(
                w("En https://-server behöver --ca-cert (eller BUDGETRAD_CA_CERT): PEM-filen för den CA som har signerat dess certifikat.").to_owned(),
            ));
        };
        let pem = std::fs::read(path).map_err(|e| {
            ConnectError::BadUrl(wf(
                "Kan inte läsa CA-certifikatet {}: {}",
                &[&path.display(), &io_reason(&e)],
            ))
        })?;
        endpoint
            .tls_config(ClientTlsConfig::new().ca_certificate(Certificate::from_pem(pem)))
            .map_err(|e| {
                ConnectError::BadUrl(wf(
                    "Kan inte använda TLS mot {}: {}",
                    &[&server, &error_chain(&e)],
                ))
            })?
    } else {
        endpoint
    };
    endpoint.connect().await.map_err(|e| {
        ConnectError::Unreachable(format!(
            "{}\n({})",
            wf(
                "Når inte servern på {}. Är den igång, och stämmer --server (eller BUDGETRAD_SERVER)?",
                &[&server],
            ),
            error_chain(&e)
        ))
    })
}

/// An error with its causes, "a: b: c", since tonic's top-level transport
/// error alone says only "transport error".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests;
