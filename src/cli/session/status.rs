//! A failed call explained in words a counsellor understands.
//!
//! The server reports errors with the canonical gRPC codes and google.rpc
//! details: `BadRequest` field violations, an `ErrorInfo` reason
//! such as `NORM_TABLE_MISSING`, `PreconditionFailure` descriptions, and
//! `ResourceInfo` for what was not found. This module turns them into a few
//! plain lines and a hint of what to do; it never prints a debug dump of the
//! status or its metadata, which could hold the request's personal data.

use std::fmt::Write as _;

use tonic::{Code, Status};
use tonic_types::StatusExt;

use crate::cli::names::words::{Lang, lang, violation_text, w, wf};

/// What the explanation may mention besides the status itself.
pub struct Context<'a> {
    /// The server URL, for "cannot reach the server at …".
    pub server: &'a str,
    /// Where the token came from ("--token", "the file budgetrad-admin.token"),
    /// never the token itself.
    pub token_source: &'a str,
    /// The roles the call needs, as the proto states them.
    pub roles: &'a str,
    /// How the user named the request's fields.
    pub naming: Naming<'a>,
}

/// How the user named the fields of a request, so that a field violation
/// names what they wrote rather than the wire's path (`debt.balance`).
#[derive(Debug, Clone, Copy, Default)]
pub enum Naming<'a> {
    /// The command names no fields: the wire's paths are printed.
    #[default]
    Wire,
    /// Flags: pairs of a wire path and the flag. An index in the path is
    /// matched by `[]` and its 1-based number fills `{}` in the flag.
    Flags(&'a [(&'a str, &'a str)]),
    /// An input file whose keys are the wire's below `prefix`
    /// (`household.`): printed as the file, then the key.
    File { file: &'a str, prefix: &'a str },
}

/// The field of a violation as the user wrote it. An amount's own
/// `.amount` (the wire's Money) is not something the user typed.
pub fn user_field(naming: Naming, wire: &str) -> String {
    let wire = wire.strip_suffix(".amount").unwrap_or(wire);
    match naming {
        Naming::Wire => wire.to_owned(),
        Naming::Flags(table) => {
            let (pattern, number) = indexed(wire);
            table
                .iter()
                .find(|(path, _)| *path == wire || *path == pattern)
                .map_or_else(
                    || wire.to_owned(),
                    |(_, flag)| flag.replace("{}", &number.unwrap_or(0).to_string()),
                )
        }
        Naming::File { file, prefix } => {
            let key = wire.strip_prefix(prefix).unwrap_or(wire);
            // members[2].birth_date: the third [[members]], its birth_date.
            let key = key
                .split('.')
                .map(|part| match part.split_once('[') {
                    Some((name, rest)) => {
                        let n = rest
                            .trim_end_matches(']')
                            .parse::<usize>()
                            .map_or(0, |n| n + 1);
                        wf("{} nr {}", &[&name, &n])
                    }
                    None => part.to_owned(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            wf("{}, nyckel {}", &[&file, &key])
        }
    }
}

/// A path with each index as `[]`, and the 1-based number of its last index.
fn indexed(wire: &str) -> (String, Option<usize>) {
    let mut pattern = String::new();
    let mut number = None;
    let mut rest = wire;
    while let Some(open) = rest.find('[') {
        pattern.push_str(&rest[..=open]);
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        number = rest[open + 1..open + close]
            .parse::<usize>()
            .ok()
            .map(|n| n + 1);
        pattern.push(']');
        rest = &rest[open + close + 1..];
    }
    pattern.push_str(rest);
    (pattern, number)
}

pub fn explain(status: &Status, ctx: &Context) -> String {
    let details = status.get_error_details();
    let message = status.message().trim();
    let mut out = String::new();

    let reason = details
        .error_info()
        .map(|i| i.reason.as_str())
        .filter(|r| !r.is_empty());

    match status.code() {
        Code::InvalidArgument => {
            out.push_str(w("Begäran godtogs inte:"));
            match details
                .bad_request()
                .filter(|b| !b.field_violations.is_empty())
            {
                Some(b) => {
                    for v in &b.field_violations {
                        let text = violation_text(&v.reason, &v.description);
                        // The count of those left out is about no one field.
                        if v.reason == crate::grpc::status::MORE_NOT_LISTED {
                            let _ = write!(out, "\n  - {text}");
                        } else {
                            let field = match v.field.as_str() {
                                "" => w("(begäran)").to_owned(),
                                wire => user_field(ctx.naming, wire),
                            };
                            let _ = write!(out, "\n  - {field}: {text}");
                        }
                    }
                }
                None => {
                    let _ = write!(out, "\n  - {}", or(message, w("(inget skäl angivet)")));
                }
            }
        }
        Code::FailedPrecondition => {
            out.push_str(w("Servern kan inte göra detta nu"));
            if let Some(reason) = reason {
                let _ = write!(out, " ({reason})");
            }
            out.push(':');
            let described = preconditions(&mut out, &details);
            if !described && !message.is_empty() {
                let _ = write!(out, "\n  - {message}");
            }
            if reason == Some("NORM_TABLE_MISSING") {
                out.push_str(w(
                    "\nEn administratör (rollen admin) kan läsa in tabellen som saknas med `budgetrad-cli norms import FIL`; `budgetrad-cli norms list` visar de inlästa tabellerna, `budgetrad-cli norms status` dem som behövs nu och framöver.",
                ));
            }
        }
        Code::Unauthenticated if reason == Some("TOKENS_UNAVAILABLE") => {
            out.push_str(w(
                "Servern kan inte läsa sin tokenfil nu och godtar därför ingen token alls.\nSäg till serverns driftansvariga; din token är inte felet.",
            ));
        }
        Code::Unauthenticated if reason == Some("TOKEN_EXPIRED") => {
            out.push_str(&wf(
                "Din token (från {}) har gått ut. Be en administratör om en ny.",
                &[&ctx.token_source],
            ));
        }
        Code::Unauthenticated => {
            out.push_str(&wf(
                "Servern godtog inte din token (från {}).\nGe en giltig token med --token eller BUDGETRAD_TOKEN, eller skriv den på en rad i en\nfil som --token-file eller BUDGETRAD_TOKEN_FILE anger (standard: budgetrad-admin.token,\nsom servern skriver med admin-token vid första starten).",
                &[&ctx.token_source],
            ));
            said(&mut out, message, reason);
        }
        Code::PermissionDenied => {
            let roles = details
                .error_info()
                .and_then(|i| i.metadata.get("required_roles"))
                .filter(|r| !r.is_empty())
                .map(|r| r.replace(',', ", "))
                .as_deref()
                .unwrap_or(ctx.roles)
                .to_owned();
            if roles.is_empty() {
                out.push_str(w(
                    "Din token ger inte rätt till detta. Be en administratör om en token med rätt roll.",
                ));
            } else {
                out.push_str(&wf(
                    "Din token saknar rollen för detta (behövs: {}). Be en administratör om en token med den rollen.",
                    &[&roles],
                ));
            }
            said(&mut out, message, reason);
        }
        Code::Unavailable => {
            out.push_str(&wf(
                "Når inte servern på {}. Är den igång, och stämmer --server (eller BUDGETRAD_SERVER)?",
                &[&ctx.server],
            ));
            if !message.is_empty() {
                let _ = write!(out, "\n({message})");
            }
        }
        Code::NotFound => {
            out.push_str(w("Finns inte"));
            match details.resource_info() {
                Some(r) if !r.resource_name.is_empty() => {
                    let _ = write!(
                        out,
                        ": {} {}",
                        or(&r.resource_type, w("resurs")),
                        r.resource_name
                    );
                    if !r.description.is_empty() {
                        let _ = write!(out, " ({})", r.description);
                    }
                }
                // The server may leave the name out; the user knows which id
                // they gave, so the kind of thing is enough.
                Some(r) if !r.resource_type.is_empty() => {
                    out.push_str(&wf(
                        ": servern har {} med det id:t",
                        &[&none_of(&r.resource_type)],
                    ));
                    if !r.description.is_empty() && r.description != "no such id" {
                        let _ = write!(out, " ({})", r.description);
                    }
                }
                _ if !message.is_empty() => {
                    let _ = write!(out, ": {message}");
                }
                _ => {}
            }
            out.push('.');
        }
        Code::Aborted if reason == Some("STALE_REVISION") => {
            out.push_str(w(
                "Någon har ändrat hushållet efter den revision du angav. Hämta det igen med `budgetrad-cli households get ID`, gör om ändringen på det och uppdatera med den nya --revision.",
            ));
            said(&mut out, message, reason);
        }
        Code::AlreadyExists => {
            out.push_str(&wf(
                "Detta finns redan: {}",
                &[&or(message, w("(ingen närmare uppgift)"))],
            ));
            preconditions(&mut out, &details);
        }
        Code::DeadlineExceeded => {
            out.push_str(&wf(
                "Servern på {} svarade inte i tid. Försök igen; händer det igen, säg till driftansvariga.",
                &[&ctx.server],
            ));
        }
        Code::ResourceExhausted => {
            out.push_str(&wf(
                "Servern är upptagen eller begäran är för stor: {}",
                &[&or(message, w("(ingen närmare uppgift)"))],
            ));
        }
        Code::Unimplemented => {
            out.push_str(&wf(
                "Servern på {} har inte detta anrop (är den en äldre version?).",
                &[&ctx.server],
            ));
        }
        Code::Internal | Code::Unknown | Code::DataLoss => {
            // The server says nothing of internals to callers;
            // the operator finds the cause in its log.
            out.push_str(w(
                "Servern kunde inte hantera begäran. Driftansvariga hittar orsaken i serverns logg.",
            ));
            said(&mut out, message, reason);
        }
        code => {
            out.push_str(&wf(
                "Servern avböjde begäran ({}): {}",
                &[
                    &code.description(),
                    &or(message, w("(ingen närmare uppgift)")),
                ],
            ));
            preconditions(&mut out, &details);
        }
    }

    if let Some(reason) = reason
        && !out.contains(reason)
    {
        out.push_str(&wf("\nOrsak: {}", &[&reason]));
    }
    if let Some(help) = details.help() {
        for link in &help.links {
            out.push_str(&wf("\nSe: {} {}", &[&link.description, &link.url]));
        }
    }
    out
}

/// Whether a failed write may nevertheless have been applied: the answer
/// was lost in transport or came too late. A refusal, a validation error or
/// a missing permission means it was not.
pub fn may_have_been_applied(code: Code) -> bool {
    matches!(
        code,
        Code::Unavailable | Code::DeadlineExceeded | Code::Cancelled | Code::Unknown
    )
}

/// Appends the precondition violations; true when there were any.
fn preconditions(out: &mut String, details: &tonic_types::ErrorDetails) -> bool {
    let Some(p) = details.precondition_failure() else {
        return false;
    };
    for v in &p.violations {
        let _ = write!(out, "\n  - {}", or(&v.description, &v.r#type));
        if !v.subject.is_empty() {
            let _ = write!(out, " [{}]", v.subject);
        }
    }
    !p.violations.is_empty()
}

/// "No such thing" for a resource type the server names (its stable
/// words, `household`, `lease`), in the run's language.
fn none_of(resource_type: &str) -> String {
    match resource_type {
        "household" => w("inget hushåll").to_owned(),
        "lease" => w("inget hyreskontrakt").to_owned(),
        "debt" => w("ingen skuld").to_owned(),
        "budget" => w("ingen budget").to_owned(),
        "norm table" => w("ingen normtabell").to_owned(),
        "eviction notice" => w("ingen underrättelse").to_owned(),
        "payment batch" => w("ingen betalningsomgång").to_owned(),
        "rent payment plan" => w("ingen avbetalningsplan").to_owned(),
        "rent payout" => w("ingen utbetalning").to_owned(),
        "landlord" => w("ingen hyresvärd").to_owned(),
        other => wf("ingen {}", &[&other]),
    }
}

/// What the server said, on a line of its own, when it said anything. The
/// server writes its messages in English (the wire is language-neutral);
/// in Swedish they are left out where the explanation above already says
/// it and a reason code follows.
fn said(out: &mut String, message: &str, reason: Option<&str>) {
    if lang() == Lang::Sv && reason.is_some() {
        return;
    }
    if !message.is_empty() {
        out.push_str(&wf("\nServern svarade: {}", &[&message]));
    }
}

fn or<'a>(s: &'a str, fallback: &'a str) -> &'a str {
    if s.trim().is_empty() { fallback } else { s }
}

#[cfg(test)]
mod tests;
