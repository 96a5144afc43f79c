//! Rent checks: a query (household or personnummer, month) in, a check
//! result or an item error out.

use chrono::NaiveDate;
use tonic::{Code, Status};
use tonic_types::StatusExt;
use uuid::Uuid;

use super::{month, past_date, text, uuid};
use crate::domain::calendar::YearMonth;
use crate::domain::error::Violations;
use crate::domain::identity::PersonalIdentityNumber;
use crate::domain::rent_check::{PaidStatus, rent_month_for};
use crate::grpc::audit::code_name;
use crate::pb;

pub const MAX_CORRELATION_CHARS: usize = 100;

pub enum Subject {
    Household(Uuid),
    Person(PersonalIdentityNumber),
}

/// One parsed item.
pub struct Query {
    pub subject: Subject,
    pub rent_month: YearMonth,
    /// The day the check is made as of: the query's `as_of`, or today.
    pub as_of: NaiveDate,
}

/// Parses a query; its fields are named under `prefix`. `today` is the
/// server's day: the default `as_of`, and the latest one allowed.
pub fn parse_query(
    query: Option<pb::RentCheckQuery>,
    prefix: &str,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<Query> {
    let Some(pb::RentCheckQuery {
        subject,
        application_month,
        rent_month,
        as_of,
    }) = query
    else {
        v.add(prefix.trim_end_matches('.'), "REQUIRED", "required");
        return None;
    };
    let subject = match subject {
        None => {
            v.add(
                format!("{prefix}subject"),
                "REQUIRED",
                "required: a household_id or a personal_identity_number",
            );
            None
        }
        Some(pb::rent_check_query::Subject::HouseholdId(id)) => {
            uuid(&format!("{prefix}household_id"), &id, v).map(Subject::Household)
        }
        Some(pb::rent_check_query::Subject::PersonalIdentityNumber(pin)) => {
            match PersonalIdentityNumber::parse(&pin, today) {
                Ok(pin) => Some(Subject::Person(pin)),
                Err(e) => {
                    v.add(
                        format!("{prefix}personal_identity_number"),
                        "PERSONNUMMER_INVALID",
                        format!("not a personnummer or samordningsnummer: {e}"),
                    );
                    None
                }
            }
        }
    };
    let application = month(&format!("{prefix}application_month"), &application_month, v);
    let rent_month = if rent_month.is_empty() {
        application.map(rent_month_for)
    } else {
        month(&format!("{prefix}rent_month"), &rent_month, v)
    };
    let as_of = past_date(&format!("{prefix}as_of"), &as_of, today, v);
    Some(Query {
        subject: subject?,
        rent_month: rent_month?,
        as_of: as_of?,
    })
}

/// One item parsed: its query, or why it cannot be asked.
pub type ParsedItem = Result<Query, (Status, Violations)>;

/// The answer to one item.
pub enum Answer {
    Result(Box<pb::RentCheckResult>),
    Error(pb::ItemError),
}

/// The UPPER_SNAKE reason of an item error: the ErrorInfo reason the unary
/// call would carry, else INVALID_FIELDS when fields are named, else the
/// code's name.
fn item_reason(status: &Status, violations: Option<&Violations>) -> String {
    if let Some(info) = status.get_details_error_info() {
        return info.reason;
    }
    if violations.is_some_and(|v| !v.is_empty()) {
        return "INVALID_FIELDS".to_owned();
    }
    code_name(status.code()).to_owned()
}

/// A gRPC code as the stream's enum; the numbers are google.rpc.Code's.
fn item_error_code(code: Code) -> pb::ItemErrorCode {
    pb::ItemErrorCode::try_from(code as i32).unwrap_or(pb::ItemErrorCode::Unknown)
}

pub fn item_error(status: &Status, violations: Option<&Violations>) -> pb::ItemError {
    pb::ItemError {
        error_code: item_error_code(status.code()) as i32,
        reason: item_reason(status, violations),
        code: code_name(status.code()).to_owned(),
        message: status.message().to_owned(),
        field_violations: violations
            .map(|v| {
                v.iter()
                    .map(|f| pb::ItemFieldViolation {
                        field: f.field.clone(),
                        description: f.description.clone(),
                        reason: f.reason.to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

pub fn paid_status_to_pb(s: PaidStatus) -> pb::RentCheckStatus {
    match s {
        PaidStatus::Paid => pb::RentCheckStatus::Paid,
        PaidStatus::PartiallyPaid => pb::RentCheckStatus::PartiallyPaid,
        PaidStatus::NotPaid => pb::RentCheckStatus::NotPaid,
    }
}

/// The correlation ids of a chunk, and its items parsed.
pub fn parse_chunk(
    chunk: Vec<pb::CheckRentPaidStreamRequest>,
    today: NaiveDate,
) -> (Vec<String>, Vec<ParsedItem>) {
    let mut ids = Vec::with_capacity(chunk.len());
    let items = chunk
        .into_iter()
        .map(|item| {
            let pb::CheckRentPaidStreamRequest {
                correlation_id,
                query,
            } = item;
            let mut v = Violations::new();
            text(
                "correlation_id",
                &correlation_id,
                MAX_CORRELATION_CHARS,
                false,
                &mut v,
            );
            ids.push(correlation_id);
            let query = parse_query(query, "query.", today, &mut v);
            match (v.is_empty(), query) {
                (true, Some(q)) => Ok(q),
                _ => Err((Status::invalid_argument("the item has invalid fields"), v)),
            }
        })
        .collect();
    (ids, items)
}
