//! Landlords, leases and eviction notices: contract types, payment accounts,
//! rent history, notice resolutions and the notice list's page token.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    coded_basis_to_pb, day, money_non_negative, money_to_pb, past_date, positive, text, timestamp,
    uuid,
};
use crate::domain::calendar::{StatutoryLastDay, YearMonth, rent_due_date};
use crate::domain::error::Violations;
use crate::domain::explain::Basis;
use crate::domain::identity::{Bankgiro, OrganisationNumber, Plusgiro};
use crate::domain::lease::{
    ContractType, EvictionNotice, Landlord, LandlordDraft, Lease, LeaseDraft, NoticeResolution,
    NoticeState, PaymentAccount, PostalAddress,
};
use crate::domain::money::Money;
use crate::domain::rent_plan::{eviction_notice_period, first_forfeitable_day, last_day_to_pay};
use crate::pb;

pub const MAX_TEXT_CHARS: usize = 200;

pub const MAX_NOTE_CHARS: usize = 500;

pub fn contract_type(raw: i32) -> Option<ContractType> {
    use pb::ContractType as C;
    Some(match C::try_from(raw).ok()? {
        C::Unspecified => return None,
        C::FirstHand => ContractType::FirstHand,
        C::SecondHand => ContractType::SecondHand,
        C::Social => ContractType::Social,
        C::HousingFirst => ContractType::HousingFirst,
        C::Training => ContractType::Training,
        C::Emergency => ContractType::Emergency,
        C::Supported => ContractType::Supported,
    })
}

pub fn contract_type_to_pb(c: ContractType) -> pb::ContractType {
    use pb::ContractType as C;
    match c {
        ContractType::FirstHand => C::FirstHand,
        ContractType::SecondHand => C::SecondHand,
        ContractType::Social => C::Social,
        ContractType::HousingFirst => C::HousingFirst,
        ContractType::Training => C::Training,
        ContractType::Emergency => C::Emergency,
        ContractType::Supported => C::Supported,
    }
}

pub fn resolution_to_pb(r: NoticeResolution) -> pb::NoticeResolution {
    match r {
        NoticeResolution::Paid => pb::NoticeResolution::Paid,
        NoticeResolution::PlanAgreed => pb::NoticeResolution::PlanAgreed,
        NoticeResolution::Other => pb::NoticeResolution::Other,
        NoticeResolution::PaidWithinDeadline => pb::NoticeResolution::PaidWithinDeadline,
    }
}

pub fn landlord_to_pb(l: &Landlord) -> pb::Landlord {
    let (bankgiro, plusgiro) = match &l.draft.account {
        PaymentAccount::Bankgiro(bg) => (bg.as_str().to_owned(), String::new()),
        PaymentAccount::Plusgiro(pg) => (String::new(), pg.as_str().to_owned()),
    };
    pb::Landlord {
        id: l.id.to_string(),
        name: l.draft.name.clone(),
        organisation_number: l.draft.organisation_number.as_str().to_owned(),
        bankgiro,
        plusgiro,
        requires_ocr: l.draft.requires_ocr,
        create_time: Some(timestamp(l.created_at)),
        postal_address: l.draft.address.as_ref().map(|a| pb::LandlordAddress {
            street_name: a.street_name.clone().unwrap_or_default(),
            building_number: a.building_number.clone().unwrap_or_default(),
            postal_code: a.postal_code.clone().unwrap_or_default(),
            town_name: a.town_name.clone(),
            country: a.country.clone(),
        }),
    }
}

pub fn lease_to_pb(l: &Lease, this_month: YearMonth) -> pb::Lease {
    let current = l
        .rents
        .iter()
        .rev()
        .find(|(from, _)| *from <= this_month)
        .map(|(_, rent)| *rent);
    pb::Lease {
        id: l.id.to_string(),
        household_id: l.draft.household_id.to_string(),
        landlord_id: l.draft.landlord_id.to_string(),
        object_reference: l.draft.object_reference.clone(),
        contract_type: contract_type_to_pb(l.draft.contract_type) as i32,
        rent_history: l
            .rents
            .iter()
            .map(|(from, rent)| pb::RentChange {
                from_month: from.to_string(),
                monthly_rent: money_to_pb(*rent),
            })
            .collect(),
        current_rent: current.and_then(super::money_to_pb),
        create_time: Some(timestamp(l.created_at)),
        update_time: Some(timestamp(l.updated_at)),
        end_month: l.end_month.map(|m| m.to_string()).unwrap_or_default(),
    }
}

/// How a statutory last day is counted: `{start} {period} = {counted}`, and when lag
/// (1930:173) 2 § moves it, `, {why} → {last day}, lag 1930:173 2 §`.
fn counted_to_last_day(start: NaiveDate, period: &str, last: &StatutoryLastDay) -> String {
    let counted = format!("{} {period} = {}", day(start), day(last.counted));
    match last.moved_because {
        Some(why) => format!(
            "{counted}, {why} → {}, lag 1930:173 2 §",
            day(last.last_day)
        ),
        None => counted,
    }
}

/// The basis of a notice's deadline, from the day of service (the one rule in
/// [`eviction_notice_period`]).
pub fn deadline_basis(served: NaiveDate) -> Basis {
    let period = eviction_notice_period(served);
    Basis {
        rule: "the tenant keeps the home by paying within three weeks of being served the underrättelse; a last day that is not a vardag moves to the next vardag".to_owned(),
        source: "jordabalken 12 kap. 44 §; lag (1930:173) 2 §".to_owned(),
        arithmetic: counted_to_last_day(served, "+ 3 veckor", &period),
    }
}

/// A notice as the wire shows it on `today` (the server's date), which
/// gives its derived state.
pub fn notice_to_pb(n: &EvictionNotice, today: NaiveDate) -> pb::EvictionNotice {
    pb::EvictionNotice {
        id: n.id.to_string(),
        lease_id: n.lease_id.to_string(),
        household_id: n.household_id.to_string(),
        served_date: day(n.served_on),
        amount_owed: money_to_pb(n.amount_owed),
        deadline: day(n.deadline),
        deadline_basis: coded_basis_to_pb(deadline_basis(n.served_on), "NOTICE_DEADLINE"),
        resolution: n
            .resolution
            .map_or(pb::NoticeResolution::Unspecified, |(r, _)| {
                resolution_to_pb(r)
            }) as i32,
        resolved_date: n.resolution.map(|(_, on)| day(on)).unwrap_or_default(),
        note: n.note.clone(),
        create_time: Some(timestamp(n.created_at)),
        evidence_ids: n.evidence.iter().map(Uuid::to_string).collect(),
        state: match n.state(today) {
            NoticeState::Open => pb::NoticeState::Open,
            NoticeState::DeadlinePassed => pb::NoticeState::DeadlinePassed,
            NoticeState::Resolved => pb::NoticeState::Resolved,
        } as i32,
    }
}

/// A notice list's page token: `YYYY-MM-DD/uuid` of the last notice shown.
pub fn notice_token(token: &str, v: &mut Violations) -> Option<(NaiveDate, Uuid)> {
    if token.is_empty() {
        return None;
    }
    let parsed = token.split_once('/').and_then(|(d, id)| {
        Some((
            NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?,
            Uuid::parse_str(id).ok()?,
        ))
    });
    v.check(
        "page_token",
        "PAGE_TOKEN_INVALID",
        parsed.ok_or("not a page token from this service"),
    )
}

/// The landlord to create, checked in full.
pub fn landlord_draft(landlord: Option<pb::Landlord>, v: &mut Violations) -> Option<LandlordDraft> {
    let pb::Landlord {
        name,
        organisation_number,
        bankgiro,
        plusgiro,
        requires_ocr,
        id: _,
        create_time: _,
        postal_address,
    } = landlord.unwrap_or_else(|| {
        v.add("landlord", "REQUIRED", "required");
        pb::Landlord::default()
    });
    text("landlord.name", &name, MAX_TEXT_CHARS, true, v);
    let org = if organisation_number.is_empty() {
        v.add("landlord.organisation_number", "REQUIRED", "required");
        None
    } else {
        v.check(
            "landlord.organisation_number",
            "ORGANISATION_NUMBER_INVALID",
            OrganisationNumber::parse(&organisation_number),
        )
    };
    let account = match (bankgiro.is_empty(), plusgiro.is_empty()) {
        (false, true) => v
            .check(
                "landlord.bankgiro",
                "BANKGIRO_INVALID",
                Bankgiro::parse(&bankgiro),
            )
            .map(PaymentAccount::Bankgiro),
        (true, false) => v
            .check(
                "landlord.plusgiro",
                "PLUSGIRO_INVALID",
                Plusgiro::parse(&plusgiro),
            )
            .map(PaymentAccount::Plusgiro),
        (true, true) => {
            v.add(
                "landlord.bankgiro",
                "REQUIRED",
                "give a bankgiro or a plusgiro",
            );
            None
        }
        (false, false) => {
            v.add(
                "landlord.plusgiro",
                "NOT_BOTH",
                "give a bankgiro or a plusgiro, not both",
            );
            None
        }
    };
    Some(LandlordDraft {
        name: name.trim().to_owned(),
        organisation_number: org?,
        account: account?,
        requires_ocr,
        address: postal_address.and_then(|a| postal_address_draft(a, v)),
    })
}

/// A landlord's postal address, in ISO 20022's lengths: town and country
/// required, the rest optional.
fn postal_address_draft(a: pb::LandlordAddress, v: &mut Violations) -> Option<PostalAddress> {
    let optional = |field: &str, value: &str, max: usize, v: &mut Violations| {
        text(field, value, max, false, v);
        Some(value.trim().to_owned()).filter(|s| !s.is_empty())
    };
    let street_name = optional("landlord.postal_address.street_name", &a.street_name, 70, v);
    let building_number = optional(
        "landlord.postal_address.building_number",
        &a.building_number,
        16,
        v,
    );
    let postal_code = optional("landlord.postal_address.postal_code", &a.postal_code, 16, v);
    text(
        "landlord.postal_address.town_name",
        &a.town_name,
        35,
        true,
        v,
    );
    let country = a.country.trim();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        v.add(
            "landlord.postal_address.country",
            "COUNTRY_INVALID",
            "required: an ISO 3166 alpha-2 code in capitals, e.g. SE",
        );
    }
    Some(PostalAddress {
        street_name,
        building_number,
        postal_code,
        town_name: a.town_name.trim().to_owned(),
        country: country.to_owned(),
    })
}

/// The settable part of a lease, checked in full.
pub fn lease_draft(lease: Option<pb::Lease>, v: &mut Violations) -> Option<LeaseDraft> {
    let pb::Lease {
        household_id,
        landlord_id,
        object_reference,
        contract_type: raw_type,
        // Output only.
        id: _,
        rent_history: _,
        current_rent: _,
        create_time: _,
        update_time: _,
        end_month: _,
    } = lease.unwrap_or_else(|| {
        v.add("lease", "REQUIRED", "required");
        pb::Lease::default()
    });
    let household = uuid("lease.household_id", &household_id, v);
    let landlord = uuid("lease.landlord_id", &landlord_id, v);
    text(
        "lease.object_reference",
        &object_reference,
        MAX_TEXT_CHARS,
        true,
        v,
    );
    let kind = contract_type(raw_type);
    if kind.is_none() {
        v.add(
            "lease.contract_type",
            "REQUIRED",
            "required: choose one of the enum's values",
        );
    }
    Some(LeaseDraft {
        household_id: household?,
        landlord_id: landlord?,
        object_reference: object_reference.trim().to_owned(),
        contract_type: kind?,
    })
}

/// A rent from a month on.
pub fn rent_from(
    month_field: &str,
    month: &str,
    rent: Option<&pb::Money>,
    v: &mut Violations,
) -> (Option<YearMonth>, Option<Money>) {
    (
        super::month(month_field, month, v),
        money_non_negative("monthly_rent", rent, v),
    )
}

/// An eviction notice to record: the lease, the day it was served, what is
/// owed, and a note.
pub struct NewNotice {
    pub lease_id: Uuid,
    pub served: NaiveDate,
    pub owed: Money,
    pub note: String,
}

pub fn new_notice(
    notice: Option<pb::EvictionNotice>,
    today: NaiveDate,
    v: &mut Violations,
) -> Option<NewNotice> {
    let pb::EvictionNotice {
        lease_id,
        served_date,
        amount_owed,
        note,
        // Output only.
        id: _,
        household_id: _,
        deadline: _,
        deadline_basis: _,
        resolution: _,
        resolved_date: _,
        create_time: _,
        evidence_ids: _,
        state: _,
    } = notice.unwrap_or_else(|| {
        v.add("notice", "REQUIRED", "required");
        pb::EvictionNotice::default()
    });
    let lease_id = uuid("notice.lease_id", &lease_id, v);
    if served_date.is_empty() {
        v.add("notice.served_date", "REQUIRED", "required, as YYYY-MM-DD");
    }
    let served = past_date("notice.served_date", &served_date, today, v);
    let owed = positive("notice.amount_owed", amount_owed.as_ref(), v);
    text("notice.note", &note, MAX_NOTE_CHARS, false, v);
    Some(NewNotice {
        lease_id: lease_id?,
        served: served?,
        owed: owed?,
        note: note.trim().to_owned(),
    })
}

/// How a case worker resolves a notice: one of the three outcomes
/// (PAID_WITHIN_DEADLINE is set by payments only).
pub fn resolution(field: &str, raw: i32, v: &mut Violations) -> Option<NoticeResolution> {
    match pb::NoticeResolution::try_from(raw) {
        Ok(pb::NoticeResolution::Paid) => Some(NoticeResolution::Paid),
        Ok(pb::NoticeResolution::PlanAgreed) => Some(NoticeResolution::PlanAgreed),
        Ok(pb::NoticeResolution::Other) => Some(NoticeResolution::Other),
        _ => {
            v.add(field, "REQUIRED", "required: PAID, PLAN_AGREED or OTHER");
            None
        }
    }
}

/// A month's rent due date, its last day to pay and its first forfeitable
/// day (JB 12:20, 12:42, lag 1930:173 2 §), each with its basis.
pub fn rent_due_to_pb(month: YearMonth) -> pb::GetRentDueDateResponse {
    let due = rent_due_date(month);
    let pay = last_day_to_pay(month);
    let forfeitable = first_forfeitable_day(month);
    pb::GetRentDueDateResponse {
        month: month.to_string(),
        due_date: day(due),
        due_basis: coded_basis_to_pb(Basis {
            rule: "rent is paid in advance, at the latest on the last vardag before the month begins".to_owned(),
            source: "jordabalken 12 kap. 20 §; vardagar per lag (1989:253) och lag (1930:173)".to_owned(),
            arithmetic: format!("sista vardagen före {} = {}", day(month.first_day()), day(due)),
        }, "RENT_DUE"),
        #[allow(deprecated)]
        forfeiture_date: day(forfeitable),
        forfeiture_basis: coded_basis_to_pb(Basis {
            rule: "a home lease is forfeitable when rent is more than one week late after the due date; a last day that is not a vardag moves to the next vardag".to_owned(),
            source: "jordabalken 12 kap. 42 § första stycket 1; lag (1930:173) 2 §".to_owned(),
            arithmetic: format!(
                "{}; förverkad från {} + 1 dag = {}",
                counted_to_last_day(due, "+ 1 vecka", &pay),
                day(pay.last_day),
                day(forfeitable)
            ),
        }, "LEASE_FORFEITABLE"),
        last_day_to_pay: day(pay.last_day),
        first_forfeitable_date: day(forfeitable),
    }
}
