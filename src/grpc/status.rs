//! The one place errors become a `tonic::Status`, with google.rpc details:
//! `BadRequest` with a violation per invalid field (each with its reason
//! code), `ErrorInfo` with an
//! UPPER_SNAKE reason, `PreconditionFailure` where state forbids the call,
//! `ResourceInfo` for what was not found. Internal errors tell the caller
//! nothing of internals and log the whole chain instead. No message here
//! carries a personnummer, a name, an account number or a household amount.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

use crate::domain::error::{DomainError, Violations};
use crate::store::StoreError;

/// The domain of every `ErrorInfo` the service sends.
pub const ERROR_DOMAIN: &str = "budgetrad";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Violations> for ApiError {
    fn from(violations: Violations) -> Self {
        ApiError::Domain(DomainError::Invalid(violations))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// At most this many field violations go back; then one more saying how
/// many were left out.
pub const MAX_VIOLATIONS: usize = 100;
/// And at most about this many bytes of them, so that the status details
/// (sent base64 in a trailer) stay well under the 16 KiB of header list a
/// client accepts by default.
const MAX_VIOLATION_BYTES: usize = 10 * 1024;
/// How many violations the message itself names.
const MESSAGE_VIOLATIONS: usize = 5;

/// The reason of the last violation when some were left out; its
/// description begins with how many.
pub const MORE_NOT_LISTED: &str = "MORE_NOT_LISTED";

fn bad_request(violations: &Violations) -> Status {
    let count = violations.iter().count();
    let mut list: Vec<FieldViolation> = Vec::new();
    let mut bytes = 0;
    for v in violations.iter() {
        let size = v.field.len() + v.description.len() + 8;
        if list.len() == MAX_VIOLATIONS || bytes + size > MAX_VIOLATION_BYTES {
            break;
        }
        bytes += size;
        list.push(FieldViolation {
            reason: v.reason.to_owned(),
            ..FieldViolation::new(v.field.clone(), v.description.clone())
        });
    }
    let left_out = count - list.len();
    if left_out > 0 {
        list.push(FieldViolation {
            reason: MORE_NOT_LISTED.to_owned(),
            ..FieldViolation::new("", format!("{left_out} more invalid field(s) not listed"))
        });
    }
    let mut summary = violations
        .iter()
        .take(MESSAGE_VIOLATIONS)
        .map(|v| format!("{}: {}", v.field, v.description))
        .collect::<Vec<_>>()
        .join("; ");
    if count > MESSAGE_VIOLATIONS {
        summary.push_str(&format!(
            "; and {} more (see the BadRequest details)",
            count - MESSAGE_VIOLATIONS
        ));
    }
    Status::with_error_details(
        Code::InvalidArgument,
        format!("{count} invalid field(s): {summary}"),
        ErrorDetails::with_bad_request(list),
    )
}

/// How prost's decode error begins, as tonic passes it on (in INTERNAL).
const DECODE_ERROR: &str = "failed to decode Protobuf message";

/// Whether `status` is tonic's answer to a message that did not decode.
pub fn is_decode_error(status: &Status) -> bool {
    status.code() == Code::Internal && status.message().starts_with(DECODE_ERROR)
}

/// A status of reading the caller's messages, with an undecodable message
/// made the caller's error: INVALID_ARGUMENT, naming what failed to decode
/// (field paths and the kind of fault; no content of the message).
pub fn caller_error(status: Status) -> Status {
    if !is_decode_error(&status) {
        return status;
    }
    let cause = status.message()[DECODE_ERROR.len()..].trim_start_matches(": ");
    Status::invalid_argument(format!("the request could not be decoded: {cause}"))
}

/// A refusal of the auth layer: `code` (UNAUTHENTICATED or
/// PERMISSION_DENIED) with an ErrorInfo `reason` and `metadata`.
pub fn auth_refusal(
    code: Code,
    reason: &str,
    message: &str,
    metadata: Vec<(String, String)>,
) -> Status {
    Status::with_error_details(
        code,
        message,
        ErrorDetails::with_error_info(
            reason,
            ERROR_DOMAIN,
            metadata
                .into_iter()
                .collect::<std::collections::HashMap<_, _>>(),
        ),
    )
}

fn precondition(
    reason: &str,
    subject: &str,
    message: String,
    metadata: Vec<(String, String)>,
) -> Status {
    let mut details = ErrorDetails::with_error_info(
        reason,
        ERROR_DOMAIN,
        metadata
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>(),
    );
    details.add_precondition_failure_violation(reason, subject, message.clone());
    Status::with_error_details(Code::FailedPrecondition, message, details)
}

impl From<ApiError> for Status {
    fn from(error: ApiError) -> Status {
        match error {
            ApiError::Domain(DomainError::Invalid(violations)) => bad_request(&violations),
            ApiError::Domain(e @ DomainError::NormTableMissing { kind, date }) => precondition(
                "NORM_TABLE_MISSING",
                &format!("{}/{}", kind.as_str(), date.format("%Y")),
                e.to_string(),
                vec![
                    ("table".to_owned(), kind.as_str().to_owned()),
                    ("year".to_owned(), date.format("%Y").to_string()),
                    ("date".to_owned(), date.to_string()),
                ],
            ),
            ApiError::Domain(DomainError::NormRowMissing { table_id, key }) => {
                let subject = format!("{table_id}/{key}");
                let message = DomainError::NormRowMissing {
                    table_id: table_id.clone(),
                    key: key.clone(),
                }
                .to_string();
                precondition(
                    "NORM_ROW_MISSING",
                    &subject,
                    message,
                    vec![("table_id".to_owned(), table_id), ("key".to_owned(), key)],
                )
            }
            ApiError::Domain(DomainError::Refused {
                reason,
                message,
                field,
            }) => precondition(reason, field.unwrap_or(""), message, Vec::new()),
            ApiError::Store(StoreError::Invalid(violations)) => bad_request(&violations),
            ApiError::Store(
                StoreError::NotFound { resource } | StoreError::OtherUnit { resource },
            ) => Status::with_error_details(
                Code::NotFound,
                format!("{resource} not found"),
                ErrorDetails::with_resource_info(resource, "", "", "no such id"),
            ),
            ApiError::Store(StoreError::Conflict {
                reason,
                message,
                field,
            }) => precondition(reason, field.as_deref().unwrap_or(""), message, Vec::new()),
            ApiError::Store(e @ StoreError::StaleRevision { current }) => {
                let details = ErrorDetails::with_error_info(
                    "STALE_REVISION",
                    ERROR_DOMAIN,
                    [("current_revision".to_owned(), current.to_string())]
                        .into_iter()
                        .collect::<std::collections::HashMap<_, _>>(),
                );
                Status::with_error_details(
                    Code::Aborted,
                    format!("{e}; read it again and retry"),
                    details,
                )
            }
            ApiError::Store(StoreError::Unavailable(source)) => {
                tracing::warn!(error = %source, "database unavailable");
                Status::unavailable("the database is unavailable; retry later")
            }
            ApiError::Store(StoreError::Busy(source)) => {
                tracing::warn!(error = %source, "database locked past the busy timeout");
                Status::unavailable(
                    "the database stayed locked by another writer through 5 s of retries; retry later",
                )
            }
            ApiError::Store(StoreError::Other(source)) => {
                tracing::error!(error = format!("{source:#}"), "internal error");
                Status::internal("internal error")
            }
            ApiError::Store(StoreError::About { error, .. }) => ApiError::Store(*error).into(),
        }
    }
}

// Handlers return `Result<_, Status>` and use `?` on domain and store errors.
impl From<DomainError> for Status {
    fn from(error: DomainError) -> Status {
        ApiError::from(error).into()
    }
}

impl From<StoreError> for Status {
    fn from(error: StoreError) -> Status {
        ApiError::from(error).into()
    }
}

impl From<Violations> for Status {
    fn from(violations: Violations) -> Status {
        ApiError::from(violations).into()
    }
}

#[cfg(test)]
mod tests;
