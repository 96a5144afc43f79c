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

/// What the explanation may mention besides the status itself.
pub struct Context<'a> {
    /// The server URL, for "cannot reach the server at …".
    pub server: &'a str,
    /// Where the token came from ("--token", "the file budgetrad-admin.token"),
    /// never the token itself.
    pub token_source: &'a str,
    /// The roles the call needs, as the proto states them.
    pub roles: &'a str,
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
            out.push_str("The request was not accepted:");
            match details
                .bad_request()
                .filter(|b| !b.field_violations.is_empty())
            {
                Some(b) => {
                    for v in &b.field_violations {
                        let _ = write!(
                            out,
                            "\n  - {}: {}",
                            or(&v.field, "(request)"),
                            v.description
                        );
                    }
                }
                None => {
                    let _ = write!(out, "\n  - {}", or(message, "(no reason given)"));
                }
            }
        }
        Code::FailedPrecondition => {
            let _ = write!(out, "The server cannot do this now");
            if let Some(reason) = reason {
                let _ = write!(out, " ({reason})");
            }
            out.push(':');
            let described = preconditions(&mut out, &details);
            if !described && !message.is_empty() {
                let _ = write!(out, "\n  - {message}");
            }
            if reason == Some("NORM_TABLE_MISSING") {
                out.push_str(
                    "\nAn operator (role admin) can load the missing table with `budgetrad-cli norms import FILE`; `budgetrad-cli norms list` shows the tables loaded, `budgetrad-cli norms status` those needed now and ahead.",
                );
            }
        }
        Code::Unauthenticated if reason == Some("TOKENS_UNAVAILABLE") => {
            out.push_str(
                "The server cannot read its token file now, so it accepts no token at all.\n\
                 Tell the server's operator; your token is not at fault.",
            );
        }
        Code::Unauthenticated if reason == Some("TOKEN_EXPIRED") => {
            let _ = write!(
                out,
                "Your token (from {}) has expired. Ask an administrator for a new one.",
                ctx.token_source
            );
        }
        Code::Unauthenticated => {
            let _ = write!(
                out,
                "The server did not accept your token (from {}).\n\
                 Give a valid token with --token or BUDGETRAD_TOKEN, or put it on one line in a\n\
                 file named by --token-file or BUDGETRAD_TOKEN_FILE (default: budgetrad-admin.token,\n\
                 which the server writes with the admin token on its first start).",
                ctx.token_source
            );
            if !message.is_empty() {
                let _ = write!(out, "\nThe server said: {message}");
            }
        }
        Code::PermissionDenied => {
            let _ = write!(
                out,
                "Your token lacks the role for this (needed: {}). Ask an administrator for a token with that role.",
                details
                    .error_info()
                    .and_then(|i| i.metadata.get("required_roles"))
                    .filter(|r| !r.is_empty())
                    .map(|r| r.replace(',', ", "))
                    .as_deref()
                    .unwrap_or(ctx.roles)
            );
            if !message.is_empty() {
                let _ = write!(out, "\nThe server said: {message}");
            }
        }
        Code::Unavailable => {
            let _ = write!(
                out,
                "Cannot reach the server at {}. Is it running, and is --server (or BUDGETRAD_SERVER) right?",
                ctx.server
            );
            if !message.is_empty() {
                let _ = write!(out, "\n({message})");
            }
        }
        Code::NotFound => {
            out.push_str("Not found");
            match details.resource_info() {
                Some(r) if !r.resource_name.is_empty() => {
                    let _ = write!(
                        out,
                        ": {} {}",
                        or(&r.resource_type, "resource"),
                        r.resource_name
                    );
                    if !r.description.is_empty() {
                        let _ = write!(out, " ({})", r.description);
                    }
                }
                // The server may leave the name out; the user knows which id
                // they gave, so the kind of thing is enough.
                Some(r) if !r.resource_type.is_empty() => {
                    let _ = write!(out, ": the server has no {} with that id", r.resource_type);
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
            out.push_str(
                "Someone changed this household after the revision you gave. Fetch it again with `budgetrad-cli households get ID`, redo your change on that, and update with the new --revision.",
            );
            if !message.is_empty() {
                let _ = write!(out, "\nThe server said: {message}");
            }
        }
        Code::AlreadyExists => {
            let _ = write!(
                out,
                "This already exists: {}",
                or(message, "(no detail given)")
            );
            preconditions(&mut out, &details);
        }
        Code::DeadlineExceeded => {
            let _ = write!(
                out,
                "The server at {} did not answer in time. Try again; if it keeps happening, tell the operator.",
                ctx.server
            );
        }
        Code::ResourceExhausted => {
            let _ = write!(
                out,
                "The server is busy or the request is too large: {}",
                or(message, "(no detail given)")
            );
        }
        Code::Unimplemented => {
            let _ = write!(
                out,
                "The server at {} does not offer this call (is it an older version?).",
                ctx.server
            );
        }
        Code::Internal | Code::Unknown | Code::DataLoss => {
            // The server says nothing of internals to callers;
            // the operator finds the cause in its log.
            out.push_str("The server failed to handle the request. The operator can find the cause in the server's log.");
            if !message.is_empty() {
                let _ = write!(out, "\nThe server said: {message}");
            }
        }
        code => {
            let _ = write!(
                out,
                "The server refused the request ({}): {}",
                code.description(),
                or(message, "(no detail given)")
            );
            preconditions(&mut out, &details);
        }
    }

    if let Some(reason) = reason
        && !out.contains(reason)
    {
        let _ = write!(out, "\nReason: {reason}");
    }
    if let Some(help) = details.help() {
        for link in &help.links {
            let _ = write!(out, "\nSee: {} {}", link.description, link.url);
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

fn or<'a>(s: &'a str, fallback: &'a str) -> &'a str {
    if s.trim().is_empty() { fallback } else { s }
}

#[cfg(test)]
mod tests;
