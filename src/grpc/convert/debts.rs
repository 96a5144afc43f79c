//! Debts: kinds, statuses and events both ways, the settable part of a debt,
//! the debt and event messages, and the calculators' inputs and results
//! (förbehållsbelopp, skuldsanering, dröjsmålsränta, the overview).

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::norms::tables_to_pb;
use super::{
    basis_to_pb, day, line_to_pb, money_non_negative, money_to_pb, optional_money, rate,
    required_enum, text, timestamp, uuid,
};
use crate::domain::debt::late_interest::LateInterest;
use crate::domain::debt::offer::ProRataShare;
use crate::domain::debt::payoff::Payoff;
use crate::domain::debt::protected::{
    Addition, AdditionKind, ChildInput, HousingAllowance, HousingAllowanceKind, ProtectedAmount,
};
use crate::domain::debt::skuldsanering::SkuldsaneringEstimate;
use crate::domain::debt::{
    Debt, DebtDraft, DebtEvent, DebtEventKind, DebtKind, DebtStatus, is_priority,
    parse_creditor_organisation_number,
};
use crate::domain::error::Violations;
use crate::domain::explain::Basis;
use crate::domain::household::{Member, Role};
use crate::domain::money::Money;
use crate::pb;

/// Longest creditor name, reference and note accepted.
pub const MAX_NAME_CHARS: usize = 200;

pub const MAX_NOTE_CHARS: usize = 500;

pub fn kind_from_pb(raw: i32) -> Option<DebtKind> {
    use pb::DebtKind as K;
    Some(match K::try_from(raw).ok()? {
        K::Unspecified => return None,
        K::Rent => DebtKind::Hyresskuld,
        K::Electricity => DebtKind::Elskuld,
        K::Tax => DebtKind::Skatteskuld,
        K::Csn => DebtKind::Csn,
        K::Healthcare => DebtKind::Vard,
        K::ConsumerCredit => DebtKind::Konsumtionskredit,
        K::SmsLoan => DebtKind::SmsLan,
        K::KronofogdenCase => DebtKind::KronofogdenMal,
        K::Maintenance => DebtKind::Underhallsskuld,
        K::Other => DebtKind::Other,
    })
}

pub fn kind_to_pb(kind: DebtKind) -> pb::DebtKind {
    use pb::DebtKind as K;
    match kind {
        DebtKind::Hyresskuld => K::Rent,
        DebtKind::Elskuld => K::Electricity,
        DebtKind::Skatteskuld => K::Tax,
        DebtKind::Csn => K::Csn,
        DebtKind::Vard => K::Healthcare,
        DebtKind::Konsumtionskredit => K::ConsumerCredit,
        DebtKind::SmsLan => K::SmsLoan,
        DebtKind::KronofogdenMal => K::KronofogdenCase,
        DebtKind::Underhallsskuld => K::Maintenance,
        DebtKind::Other => K::Other,
    }
}

pub fn status_from_pb(raw: i32) -> Option<DebtStatus> {
    use pb::DebtStatus as S;
    Some(match S::try_from(raw).ok()? {
        S::Unspecified => return None,
        S::Active => DebtStatus::Active,
        S::DebtCollection => DebtStatus::DebtCollection,
        S::Kronofogden => DebtStatus::Kronofogden,
        S::Skuldsanering => DebtStatus::Skuldsanering,
        S::Settled => DebtStatus::Settled,
    })
}

pub fn status_to_pb(status: DebtStatus) -> pb::DebtStatus {
    use pb::DebtStatus as S;
    match status {
        DebtStatus::Active => S::Active,
        DebtStatus::DebtCollection => S::DebtCollection,
        DebtStatus::Kronofogden => S::Kronofogden,
        DebtStatus::Skuldsanering => S::Skuldsanering,
        DebtStatus::Settled => S::Settled,
    }
}

pub fn event_kind_to_pb(kind: DebtEventKind) -> pb::DebtEventKind {
    use pb::DebtEventKind as E;
    match kind {
        DebtEventKind::OpeningBalance => E::OpeningBalance,
        DebtEventKind::Payment => E::Payment,
        DebtEventKind::Interest => E::Interest,
        DebtEventKind::Fee => E::Fee,
        DebtEventKind::Correction => E::Correction,
        DebtEventKind::Settlement => E::Settlement,
    }
}

/// The settable part of a debt message, checked in full.
pub fn debt_draft(debt: &pb::Debt, path: &str, v: &mut Violations) -> Option<DebtDraft> {
    let pb::Debt {
        debtor_member_id,
        creditor_name,
        creditor_organisation_number,
        creditor_reference,
        kind,
        status,
        annual_interest_rate,
        monthly_fee,
        agreed_monthly_payment,
        // Set on create only, or output only.
        id: _,
        household_id: _,
        balance: _,
        revision: _,
        priority: _,
        create_time: _,
        update_time: _,
        creditor_postal_address,
    } = debt;
    let f = |name: &str| format!("{path}.{name}");
    let creditor_address = super::households::postal_address(
        &f("creditor_postal_address"),
        creditor_postal_address.as_ref(),
        v,
    );
    let debtor = uuid(&f("debtor_member_id"), debtor_member_id, v);
    text(&f("creditor_name"), creditor_name, MAX_NAME_CHARS, true, v);
    let org = parse_creditor_organisation_number(
        creditor_organisation_number,
        &f("creditor_organisation_number"),
        v,
    );
    text(
        &f("creditor_reference"),
        creditor_reference,
        MAX_NAME_CHARS,
        false,
        v,
    );
    let kind = required_enum(&f("kind"), *kind, kind_from_pb, v);
    let status = required_enum(&f("status"), *status, status_from_pb, v);
    if status == Some(DebtStatus::Settled) {
        v.add(
            f("status"),
            "NOT_HERE",
            "a debt is settled only through SettleDebt",
        );
    }
    let rate = rate(&f("annual_interest_rate"), annual_interest_rate, v);
    let fee = optional_money(&f("monthly_fee"), monthly_fee.as_ref(), v);
    let payment = optional_money(
        &f("agreed_monthly_payment"),
        agreed_monthly_payment.as_ref(),
        v,
    );
    Some(DebtDraft {
        debtor_member_id: debtor?,
        creditor_name: creditor_name.trim().to_owned(),
        creditor_organisation_number: org,
        creditor_reference: creditor_reference.trim().to_owned(),
        creditor_address,
        kind: kind?,
        status: status?,
        annual_interest_rate: rate?,
        monthly_fee: fee,
        agreed_monthly_payment: payment,
    })
}

pub fn debt_to_pb(d: &Debt) -> pb::Debt {
    pb::Debt {
        id: d.id.to_string(),
        household_id: d.household_id.to_string(),
        debtor_member_id: d.terms.debtor_member_id.to_string(),
        creditor_name: d.terms.creditor_name.clone(),
        creditor_organisation_number: d
            .terms
            .creditor_organisation_number
            .as_ref()
            .map(|o| o.as_str().to_owned())
            .unwrap_or_default(),
        creditor_reference: d.terms.creditor_reference.clone(),
        kind: kind_to_pb(d.terms.kind) as i32,
        status: status_to_pb(d.terms.status) as i32,
        balance: money_to_pb(d.balance),
        annual_interest_rate: d.terms.annual_interest_rate.to_wire(),
        monthly_fee: money_to_pb(d.terms.monthly_fee),
        agreed_monthly_payment: money_to_pb(d.terms.agreed_monthly_payment),
        revision: d.revision,
        priority: is_priority(d.terms.kind, d.terms.status),
        create_time: Some(timestamp(d.created_at)),
        update_time: Some(timestamp(d.updated_at)),
        creditor_postal_address: super::households::postal_address_to_pb(&d.terms.creditor_address),
    }
}

pub fn event_to_pb(e: &DebtEvent) -> pb::DebtEvent {
    pb::DebtEvent {
        id: e.id.to_string(),
        debt_id: e.debt_id.to_string(),
        kind: event_kind_to_pb(e.kind) as i32,
        date: day(e.date),
        change: money_to_pb(e.change),
        balance_after: money_to_pb(e.balance_after),
        note: e.note.clone(),
        recorded_by: e.recorded_by.clone(),
        record_time: Some(timestamp(e.recorded_at)),
        evidence_id: e.evidence.map(|id| id.to_string()).unwrap_or_default(),
    }
}

pub fn total(key: &str, debts: &[&Debt]) -> pb::DebtTotal {
    pb::DebtTotal {
        key: key.to_owned(),
        count: i32::try_from(debts.len()).unwrap_or(i32::MAX),
        balance: money_to_pb(debts.iter().map(|d| d.balance).sum()),
    }
}

pub fn housing_allowance_kind(raw: i32) -> Option<HousingAllowanceKind> {
    use pb::HousingAllowanceKind as K;
    Some(match K::try_from(raw).ok()? {
        K::Unspecified => return None,
        K::Bostadsbidrag => HousingAllowanceKind::Bostadsbidrag,
        K::Bostadstillagg => HousingAllowanceKind::Bostadstillagg,
        K::Boendetillagg => HousingAllowanceKind::Boendetillagg,
    })
}

pub fn addition_kind(raw: i32) -> Option<AdditionKind> {
    use pb::AdditionKind as K;
    Some(match K::try_from(raw).ok()? {
        K::Unspecified => return None,
        K::WorkTravel => AdditionKind::WorkTravel,
        K::MedicineAndCare => AdditionKind::MedicineAndCare,
        K::Umgange => AdditionKind::Umgange,
        K::Other => AdditionKind::Other,
    })
}

/// The kind of an event recorded by RecordDebtEvent.
pub fn event_kind(kind: i32, v: &mut Violations) -> Option<DebtEventKind> {
    use pb::DebtEventKind as E;
    match E::try_from(kind) {
        Ok(E::Payment) => Some(DebtEventKind::Payment),
        Ok(E::Interest) => Some(DebtEventKind::Interest),
        Ok(E::Fee) => Some(DebtEventKind::Fee),
        Ok(E::Correction) => Some(DebtEventKind::Correction),
        Ok(E::OpeningBalance | E::Settlement) => {
            v.add(
                "kind",
                "NOT_HERE",
                "recorded by CreateDebt or SettleDebt, not here",
            );
            None
        }
        _ => {
            v.add(
                "kind",
                "REQUIRED",
                "required: PAYMENT, INTEREST, FEE or CORRECTION",
            );
            None
        }
    }
}

/// The balance change of an event: a payment lowers the balance, interest
/// and fees raise it, a correction changes it either way (never by zero).
pub fn event_change(
    kind: DebtEventKind,
    amount: Option<&pb::Money>,
    v: &mut Violations,
) -> Option<Money> {
    if kind == DebtEventKind::Correction {
        let Some(amount) = amount else {
            v.add(
                "amount",
                "REQUIRED",
                "required, as a decimal string such as \"1234.50\"",
            );
            return None;
        };
        let amount = v.money("amount", Money::parse(&amount.amount))?;
        if amount.is_zero() {
            v.add(
                "amount",
                "NO_CHANGE",
                "a correction must change the balance",
            );
            return None;
        }
        return Some(amount);
    }
    let amount = money_non_negative("amount", amount, v)?;
    if amount.is_zero() {
        v.add("amount", "NOT_POSITIVE", "must be more than zero");
        return None;
    }
    Some(if kind == DebtEventKind::Payment {
        Money::ZERO - amount
    } else {
        amount
    })
}

/// The housing allowances of a förbehållsbelopp input.
pub fn housing_allowances(
    list: &[pb::HousingAllowance],
    v: &mut Violations,
) -> Vec<HousingAllowance> {
    list.iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let f = |name: &str| format!("input.housing_allowances[{i}].{name}");
            let kind = required_enum(&f("kind"), a.kind, housing_allowance_kind, v);
            let amount = money_non_negative(&f("amount"), a.amount.as_ref(), v);
            Some(HousingAllowance {
                kind: kind?,
                amount: amount?,
            })
        })
        .collect()
}

/// The additions to a förbehållsbelopp.
pub fn additions(list: &[pb::Addition], v: &mut Violations) -> Vec<Addition> {
    list.iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let f = |name: &str| format!("input.additions[{i}].{name}");
            let kind = required_enum(&f("kind"), a.kind, addition_kind, v);
            text(&f("description"), &a.description, 200, false, v);
            let amount = money_non_negative(&f("amount"), a.amount.as_ref(), v);
            Some(Addition {
                kind: kind?,
                description: a.description.trim().to_owned(),
                amount: amount?,
            })
        })
        .collect()
}

/// The children a förbehållsbelopp counts, each with its age in the month
/// of `on` and the support given for it (each kind zero when left out).
/// Support names its child by member id, in a saved household and among
/// members given inline alike; the deprecated `member_index` is still read
/// for inline members when it is 1 or more and no id is given (with a
/// warning), since 0 cannot be told from "not given". Neither is
/// `member_id` required; both is `member_index` refused.
pub fn children(
    members: &[Member],
    by_id: bool,
    child_support: &[pb::ChildSupport],
    on: NaiveDate,
    v: &mut Violations,
    warnings: &mut Vec<String>,
) -> Vec<ChildInput> {
    let mut support: HashMap<usize, (Money, Money, Money)> = HashMap::new();
    for (i, s) in child_support.iter().enumerate() {
        let f = |name: &str| format!("input.child_support[{i}].{name}");
        #[allow(deprecated)]
        let index = s.member_index;
        let (field, position) = match (s.member_id.is_empty(), index) {
            (false, 0) => {
                let field = f("member_id");
                // A malformed id is reported by the parser; nothing more to say.
                let Some(id) = uuid(&field, &s.member_id, v) else {
                    continue;
                };
                (field, members.iter().position(|m| m.id == Some(id)))
            }
            (false, _) => {
                v.add(
                    f("member_index"),
                    "NOT_BOTH",
                    "give member_id only: member_index is deprecated",
                );
                continue;
            }
            (true, 0) => {
                v.add(
                    f("member_id"),
                    "REQUIRED",
                    "required: the child's member id (member_index is deprecated, and 0 \
                     cannot be told from not given)",
                );
                continue;
            }
            (true, _) if by_id => {
                v.add(
                    f("member_id"),
                    "REQUIRED",
                    "required: the child's member id (a saved household's children are \
                     named by id)",
                );
                continue;
            }
            (true, index) => {
                warnings.push(format!(
                    "input.child_support[{i}].member_index is deprecated: name the child by \
                     member_id (the id given to the member in input.members)"
                ));
                let index = usize::try_from(index).ok();
                (f("member_index"), index.filter(|i| *i < members.len()))
            }
        };
        match position {
            Some(p) if members[p].role == Role::Child => {
                if support.contains_key(&p) {
                    v.add(&field, "DUPLICATE", "the same child is given twice");
                }
                let bb = optional_money(&f("barnbidrag"), s.barnbidrag.as_ref(), v);
                let us = optional_money(&f("underhallsstod"), s.underhallsstod.as_ref(), v);
                let sb = optional_money(&f("studiebidrag"), s.studiebidrag.as_ref(), v);
                support.insert(p, (bb, us, sb));
            }
            Some(_) => v.add(&field, "NOT_OF_HOUSEHOLD", "not a child of the household"),
            None => v.add(&field, "NOT_OF_HOUSEHOLD", "not a member of the household"),
        }
    }
    let mut children = Vec::new();
    for (p, child) in members.iter().enumerate() {
        if child.role != Role::Child {
            continue;
        }
        let Some(age) = child.age_on(on) else {
            v.add(
                format!("input.members[{p}]"),
                "NOT_BORN",
                "not yet born in the month",
            );
            continue;
        };
        let (barnbidrag, underhallsstod, studiebidrag) =
            support
                .get(&p)
                .copied()
                .unwrap_or((Money::ZERO, Money::ZERO, Money::ZERO));
        children.push(ChildInput {
            age,
            barnbidrag,
            underhallsstod,
            studiebidrag,
        });
    }
    children
}

/// A claim of a skuldsanering estimate: a registered debt, or a creditor
/// and balance given inline.
pub enum Claim {
    Debt(Uuid),
    Inline {
        creditor_name: String,
        balance: Money,
    },
}

/// The claims of an estimate; `None` after a violation.
pub fn claims(list: &[pb::CreditorClaim], v: &mut Violations) -> Option<Vec<Claim>> {
    let mut parsed: Vec<Option<Claim>> = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        let f = |name: &str| format!("claims[{i}].{name}");
        if c.debt_id.is_empty() {
            text(
                &f("creditor_name"),
                &c.creditor_name,
                MAX_NAME_CHARS,
                true,
                v,
            );
            let balance = money_non_negative(&f("balance"), c.balance.as_ref(), v);
            parsed.push(balance.map(|balance| Claim::Inline {
                creditor_name: c.creditor_name.trim().to_owned(),
                balance,
            }));
        } else {
            let id = uuid(&f("debt_id"), &c.debt_id, v);
            if let Some(id) = id
                && parsed
                    .iter()
                    .any(|claim| matches!(claim, Some(Claim::Debt(d)) if *d == id))
            {
                v.add(f("debt_id"), "DUPLICATE", "the same debt is listed twice");
            }
            parsed.push(id.map(Claim::Debt));
        }
    }
    parsed.into_iter().collect()
}

/// How long a debt takes to pay off, on the wire.
pub fn pay_off_to_pb(debt_id: Uuid, payoff: Payoff, basis: Basis) -> pb::PayOff {
    let months = |m: u32| i32::try_from(m).unwrap_or(i32::MAX);
    let (outcome, paid, charges) = match payoff {
        Payoff::PaidOff {
            months: m,
            total_paid,
            total_interest_and_fees,
            ..
        } => (
            pb::pay_off::Outcome::Months(months(m)),
            money_to_pb(total_paid),
            money_to_pb(total_interest_and_fees),
        ),
        Payoff::NeverPaysOff { .. } => (pb::pay_off::Outcome::Never(true), None, None),
        Payoff::LongerThan { months: m, .. } => (
            pb::pay_off::Outcome::LongerThanMonths(months(m)),
            None,
            None,
        ),
    };
    pb::PayOff {
        debt_id: debt_id.to_string(),
        outcome: Some(outcome),
        total_paid: paid,
        total_interest_and_fees: charges,
        basis: basis_to_pb(basis),
    }
}

/// A creditor of an estimate as the answer names it: the key the estimate
/// used, the debt id on the wire (empty for an inline claim), the creditor
/// and the balance.
pub struct Creditor {
    pub key: Uuid,
    pub wire_id: String,
    pub name: String,
    pub balance: Money,
}

/// A skuldsanering estimate on the wire, after the förbehållsbelopp it
/// was computed from.
pub fn restructuring_to_pb(
    p: ProtectedAmount,
    e: SkuldsaneringEstimate,
    creditors: &[Creditor],
) -> pb::EstimateDebtRestructuringResponse {
    let yearly = e
        .years
        .iter()
        .map(|y| pb::RestructuringYear {
            year: i32::try_from(y.year).unwrap_or(i32::MAX),
            paid_in: money_to_pb(y.paid_in),
            fee: money_to_pb(y.fee),
            distributed: money_to_pb(y.distributed),
            undistributed: money_to_pb(y.undistributed),
        })
        .collect();
    let creditor_pb =
        e.creditors
            .iter()
            .map(|c| {
                let (wire_id, name) = creditors
                    .iter()
                    .find(|k| k.key == c.debt_id)
                    .map(|k| (k.wire_id.clone(), k.name.clone()))
                    .unwrap_or_default();
                let yearly =
                    e.years
                        .iter()
                        .filter_map(|y| {
                            y.payouts.iter().find(|p| p.debt_id == c.debt_id).map(|p| {
                                pb::AmountLine {
                                    label: format!("år {}", y.year),
                                    amount: money_to_pb(p.amount),
                                    basis: basis_to_pb(p.basis.clone()),
                                }
                            })
                        })
                        .collect();
                pb::CreditorPayout {
                    debt_id: wire_id,
                    creditor_name: name,
                    balance: money_to_pb(c.balance),
                    yearly,
                    total_received: money_to_pb(c.received),
                    unpaid: money_to_pb(c.unpaid),
                }
            })
            .collect();
    let mut warnings = p.warnings;
    warnings.extend(
        e.lines
            .is_empty()
            .then(|| "no payment lines were produced".to_owned()),
    );
    let mut lines: Vec<pb::AmountLine> = p.lines.into_iter().map(line_to_pb).collect();
    lines.extend(e.lines.into_iter().map(line_to_pb));
    pb::EstimateDebtRestructuringResponse {
        lines,
        protected_amount: money_to_pb(p.total),
        buffer: money_to_pb(e.buffer),
        monthly_payment: money_to_pb(e.monthly_payment),
        years: i32::try_from(e.length_years).unwrap_or(i32::MAX),
        yearly,
        creditors: creditor_pb,
        total_debt: money_to_pb(e.total_debt),
        total_paid_in: money_to_pb(e.total_paid_in),
        total_fees: money_to_pb(e.total_fees),
        total_distributed: money_to_pb(e.total_distributed),
        total_unpaid: money_to_pb(e.total_unpaid),
        tables: tables_to_pb(p.tables),
        provisional: p.provisional,
        warnings,
        protected_amount_with_buffer: money_to_pb(e.protected_amount_with_buffer),
    }
}

pub fn late_interest_to_pb(r: LateInterest) -> pb::CalculateLateInterestResponse {
    pb::CalculateLateInterestResponse {
        principal: money_to_pb(r.principal),
        periods: r
            .periods
            .into_iter()
            .map(|p| pb::LateInterestPeriod {
                half_year: p.half_year.to_string(),
                from_date: day(p.from),
                to_date: day(p.to),
                days: i32::try_from(p.days).unwrap_or(i32::MAX),
                referensranta: p.referensranta.to_wire(),
                rate: p.rate.to_wire(),
                interest: money_to_pb(p.interest),
                basis: basis_to_pb(p.basis),
            })
            .collect(),
        days: i32::try_from(r.days).unwrap_or(i32::MAX),
        interest: money_to_pb(r.total),
        basis: basis_to_pb(r.basis),
        tables: tables_to_pb(r.tables),
        provisional: r.provisional,
        warnings: r.warnings,
    }
}

/// A creditor's share of a pro-rata offer.
pub fn offer_share_to_pb(s: ProRataShare, creditor_name: &str) -> pb::OfferShare {
    pb::OfferShare {
        debt_id: s.debt_id.to_string(),
        creditor_name: creditor_name.to_owned(),
        balance: money_to_pb(s.balance),
        monthly_amount: money_to_pb(s.amount),
        basis: super::coded_basis_to_pb(s.basis, "PRO_RATA_SHARE"),
    }
}
