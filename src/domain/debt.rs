//! Debts (DESIGN §3.4): kinds and statuses, which debts come first, how long
//! a debt takes to pay off, the pro-rata offer to creditors, the
//! förbehållsbelopp, a skuldsanering estimate and dröjsmålsränta.
//!
//! Terms, once each:
//! - **förbehållsbelopp**: what a debtor keeps each month under löneutmätning
//!   (wage garnishment by Kronofogden): Kronofogden's **normalbelopp** for the
//!   household + the housing cost + approved additions.
//! - **skuldsanering**: debt restructuring under skuldsaneringslagen, decided
//!   by Kronofogden: the debtor pays everything above the förbehållsbelopp for
//!   a number of years and the rest of the debts is written off.
//! - **dröjsmålsränta**: late-payment interest under räntelagen (1975:635),
//!   the **referensränta** set by Riksbanken for the half-year + 8
//!   percentage points.
//!
//! Conventions (each one a rule a counsellor can check by hand):
//! - Money is exact [`Money`]; rates are [`Decimal`] percent (`12.5` is
//!   12.5 % a year). Nothing here uses floating point.
//! - Rounding happens only at the named points below, always through
//!   [`Rounding::HalfAwayFromZeroOre`]: a month's interest in
//!   [`months_to_pay_off`], a period's dröjsmålsränta in
//!   [`late_payment_interest`]. Splits (pro-rata shares, skuldsanering payouts)
//!   go through [`allocate`], so their parts sum exactly to the whole. Every
//!   other figure is a sum or difference of whole-öre amounts and so is whole
//!   öre without rounding.
//! - Months to pay off: each month, interest = balance × rate / 100 / 12
//!   rounded to whole öre; the balance grows by that interest and the monthly
//!   fee, then falls by the payment. The month in which balance + interest +
//!   fee is no more than the payment is the last one, and pays exactly that.
//!   A payment that does not exceed the first month's interest + fee never
//!   pays the debt off (the balance can then never fall); otherwise the
//!   balance falls every month, and the count stops at
//!   [`PAYOFF_MONTHS_CAP`] months, so the loop is always bounded.
//! - Input checks name the fields of the input types below, under the request
//!   path the caller gives (`debts[2].balance`); descriptions never repeat a
//!   value, since amounts are personal data. The gRPC layer names its request
//!   fields after them.
//! - Figures read from norm tables cite the table and row in their
//!   [`Basis`], as the riksnorm does; a result computed from a provisional
//!   table says so in its warnings.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::error::{DomainError, Violations};
use super::explain::{Basis, Line, sum_arithmetic};
use super::household::{MAX_MEMBERS, Member};
use super::identity::OrganisationNumber;
use super::money::{Money, Rounding, allocate};
use super::norms::{self, NormKind, NormTable, TableRef, TableStatus, row_label};

// ---------------------------------------------------------------------------
// Kinds, statuses and priority
// ---------------------------------------------------------------------------

/// What a debt is for. The storage names are stable snake_case ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DebtKind {
    /// Rent arrears.
    Hyresskuld,
    /// Unpaid electricity.
    Elskuld,
    /// Tax debt (Skatteverket).
    Skatteskuld,
    /// Student loan debt (Centrala studiestödsnämnden).
    Csn,
    /// Healthcare and dental bills.
    Vard,
    /// Consumer credit: loans, card and instalment credit.
    Konsumtionskredit,
    /// Small quick loans (sms-lån).
    SmsLan,
    /// A debt Kronofogden has a case for (allmänt or enskilt mål).
    KronofogdenMal,
    /// Unpaid child maintenance (underhållsskuld, often to Försäkringskassan).
    Underhallsskuld,
    Other,
}

impl DebtKind {
    pub const ALL: [DebtKind; 10] = [
        DebtKind::Hyresskuld,
        DebtKind::Elskuld,
        DebtKind::Skatteskuld,
        DebtKind::Csn,
        DebtKind::Vard,
        DebtKind::Konsumtionskredit,
        DebtKind::SmsLan,
        DebtKind::KronofogdenMal,
        DebtKind::Underhallsskuld,
        DebtKind::Other,
    ];

    /// The stable name used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            DebtKind::Hyresskuld => "hyresskuld",
            DebtKind::Elskuld => "elskuld",
            DebtKind::Skatteskuld => "skatteskuld",
            DebtKind::Csn => "csn",
            DebtKind::Vard => "vard",
            DebtKind::Konsumtionskredit => "konsumtionskredit",
            DebtKind::SmsLan => "sms_lan",
            DebtKind::KronofogdenMal => "kronofogden_mal",
            DebtKind::Underhallsskuld => "underhallsskuld",
            DebtKind::Other => "other",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<DebtKind> {
        DebtKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Swedish word for explanations.
    pub fn label(self) -> &'static str {
        match self {
            DebtKind::Hyresskuld => "hyresskuld",
            DebtKind::Elskuld => "elskuld",
            DebtKind::Skatteskuld => "skatteskuld",
            DebtKind::Csn => "CSN-skuld",
            DebtKind::Vard => "vårdskuld",
            DebtKind::Konsumtionskredit => "konsumtionskredit",
            DebtKind::SmsLan => "sms-lån",
            DebtKind::KronofogdenMal => "mål hos Kronofogden",
            DebtKind::Underhallsskuld => "underhållsskuld",
            DebtKind::Other => "annan skuld",
        }
    }
}

/// Where a debt stands. The storage names are stable snake_case ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DebtStatus {
    /// With the original creditor.
    Active,
    /// With a debt collection agency (inkasso).
    DebtCollection,
    /// At Kronofogden (betalningsföreläggande, utmätning).
    Kronofogden,
    /// Included in a skuldsanering.
    Skuldsanering,
    /// Paid or otherwise closed.
    Settled,
}

impl DebtStatus {
    pub const ALL: [DebtStatus; 5] = [
        DebtStatus::Active,
        DebtStatus::DebtCollection,
        DebtStatus::Kronofogden,
        DebtStatus::Skuldsanering,
        DebtStatus::Settled,
    ];

    /// The stable name used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            DebtStatus::Active => "active",
            DebtStatus::DebtCollection => "debt_collection",
            DebtStatus::Kronofogden => "kronofogden",
            DebtStatus::Skuldsanering => "skuldsanering",
            DebtStatus::Settled => "settled",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<DebtStatus> {
        DebtStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Swedish words for explanations.
    pub fn label(self) -> &'static str {
        match self {
            DebtStatus::Active => "aktiv",
            DebtStatus::DebtCollection => "hos inkasso",
            DebtStatus::Kronofogden => "hos Kronofogden",
            DebtStatus::Skuldsanering => "i skuldsanering",
            DebtStatus::Settled => "reglerad",
        }
    }
}

/// A priority debt is one whose non-payment costs the home or essential
/// supply (DESIGN §3.4): rent arrears, electricity, and whatever Kronofogden
/// is enforcing (a kronofogden-mål, or any debt at Kronofogden). Priority debts
/// are paid first; the others share what is left through [`pro_rata_offer`].
///
/// A settled debt is never a priority: nothing is left to pay on it, so it
/// cannot cost the home.
pub fn is_priority(kind: DebtKind, status: DebtStatus) -> bool {
    if status == DebtStatus::Settled {
        return false;
    }
    matches!(
        kind,
        DebtKind::Hyresskuld | DebtKind::Elskuld | DebtKind::KronofogdenMal
    ) || status == DebtStatus::Kronofogden
}

// ---------------------------------------------------------------------------
// Input checks
// ---------------------------------------------------------------------------

/// The largest amount accepted, exclusive: 15 integer digits of kronor, as on
/// the wire ([`super::money::MAX_INTEGER_DIGITS`]). Keeps every product below
/// far inside `Decimal`'s range.
fn max_amount() -> Decimal {
    Decimal::from(1_000_000_000_000_000_i64)
}

/// [`max_amount`] in öre.
fn max_amount_ore() -> i128 {
    100_000_000_000_000_000
}

/// `path.name`, or `name` alone when the path is empty.
fn field(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Records why `amount` cannot be a non-negative amount of whole öre with at
/// most 15 integer digits. Used for balances, fees, payments and incomes.
pub fn check_non_negative_amount(amount: Money, field: &str, v: &mut Violations) {
    if amount.is_negative() {
        v.add(field, "must not be negative");
    } else if amount.to_ore().is_none() {
        v.add(field, "at most two decimals (whole öre)");
    } else if amount.as_decimal() >= max_amount() {
        v.add(field, "at most 15 digits before the decimal point");
    }
}

/// A debt's balance: not negative, whole öre.
pub fn check_balance(balance: Money, field: &str, v: &mut Violations) {
    check_non_negative_amount(balance, field, v);
}

/// An annual interest rate in percent: 0 to 100 inclusive.
pub fn check_interest_rate(rate: Decimal, field: &str, v: &mut Violations) {
    if rate.is_sign_negative() && !rate.is_zero() {
        v.add(field, "must not be negative");
    } else if rate > Decimal::ONE_HUNDRED {
        v.add(field, "a yearly rate in percent, at most 100");
    }
}

/// The debtor must be a member of the household (DESIGN §3.4: the debtor is
/// a person in the household), identified by the member's id.
pub fn check_debtor(debtor_id: Uuid, members: &[Member], field: &str, v: &mut Violations) {
    if debtor_id.is_nil() {
        v.add(
            field,
            "required: the id of the household member who owes the debt",
        );
    } else if !members.iter().any(|m| m.id == Some(debtor_id)) {
        v.add(field, "not a member of the household");
    }
}

/// The creditor's organisationsnummer when one is given: an empty input means
/// "not known" and is accepted as `None`; anything else must parse as an
/// [`OrganisationNumber`] (ten digits, Luhn check digit).
pub fn parse_creditor_organisation_number(
    input: &str,
    field: &str,
    v: &mut Violations,
) -> Option<OrganisationNumber> {
    if input.trim().is_empty() {
        return None;
    }
    v.check(field, OrganisationNumber::parse(input))
}

/// The figures of a debt that the calculations read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebtTerms {
    pub balance: Money,
    /// Percent a year, 0..=100 (`12.5` is 12.5 %).
    pub annual_interest_rate: Decimal,
    pub monthly_fee: Money,
    /// The agreed monthly payment.
    pub monthly_payment: Money,
}

/// Checks a debt's terms; fields are reported as `path.balance`,
/// `path.annual_interest_rate`, `path.monthly_fee` and
/// `path.monthly_payment`.
pub fn check_terms(terms: &DebtTerms, path: &str) -> Violations {
    let mut v = Violations::new();
    check_balance(terms.balance, &field(path, "balance"), &mut v);
    check_interest_rate(
        terms.annual_interest_rate,
        &field(path, "annual_interest_rate"),
        &mut v,
    );
    check_non_negative_amount(terms.monthly_fee, &field(path, "monthly_fee"), &mut v);
    check_non_negative_amount(
        terms.monthly_payment,
        &field(path, "monthly_payment"),
        &mut v,
    );
    v
}

// ---------------------------------------------------------------------------
// Months to pay off
// ---------------------------------------------------------------------------

/// The longest pay-off counted: 100 years. A debt that takes longer is
/// reported as [`Payoff::LongerThan`], which also bounds the work done.
pub const PAYOFF_MONTHS_CAP: u32 = 1200;

/// How a debt is paid off at its agreed payment (see the module docs for the
/// convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payoff {
    /// Paid off after `months` months (0 for a debt with nothing left).
    /// `total_paid` is every payment including the smaller last one;
    /// `total_interest_and_fees` = `total_paid` − the balance.
    PaidOff {
        months: u32,
        total_paid: Money,
        total_interest_and_fees: Money,
        last_payment: Money,
    },
    /// The payment does not exceed the first month's interest + fee (or is
    /// zero), so the balance never falls.
    NeverPaysOff { first_month_charges: Money },
    /// Still owed after `months` (= [`PAYOFF_MONTHS_CAP`]) months.
    LongerThan { months: u32, balance_left: Money },
}

/// One month's interest on `balance` at `annual_rate` percent:
/// balance × rate / 1200, rounded half away from zero to whole öre (a named
/// rounding point). `None` only on overflow, which checked inputs cannot reach.
fn monthly_interest(balance: Money, annual_rate: Decimal) -> Option<Money> {
    let exact = balance
        .as_decimal()
        .checked_mul(annual_rate)?
        .checked_div(Decimal::from(1200))?;
    Some(Money::from_decimal(exact).round(Rounding::HalfAwayFromZeroOre))
}

fn overflow(path: &str, name: &str) -> DomainError {
    DomainError::invalid(field(path, name), "too large to calculate with")
}

/// Months to pay off a debt at its agreed payment, by the convention in the
/// module docs. `path` is the request path of the terms, for errors.
pub fn months_to_pay_off(terms: &DebtTerms, path: &str) -> Result<Payoff, DomainError> {
    check_terms(terms, path).finish(())?;
    if terms.balance.is_zero() {
        return Ok(Payoff::PaidOff {
            months: 0,
            total_paid: Money::ZERO,
            total_interest_and_fees: Money::ZERO,
            last_payment: Money::ZERO,
        });
    }
    let interest = |balance: Money| {
        monthly_interest(balance, terms.annual_interest_rate)
            .ok_or_else(|| overflow(path, "balance"))
    };
    let first_month_charges = interest(terms.balance)? + terms.monthly_fee;
    // With the payment at or below the first month's charges the balance
    // never falls, and since interest never falls while the balance does not,
    // no later month can do better. This also covers a zero payment.
    if terms.monthly_payment <= first_month_charges {
        return Ok(Payoff::NeverPaysOff {
            first_month_charges,
        });
    }
    // From here the balance falls by at least one öre a month.
    let mut balance = terms.balance;
    let mut total_paid = Money::ZERO;
    for month in 1..=PAYOFF_MONTHS_CAP {
        let owed = balance + interest(balance)? + terms.monthly_fee;
        if owed <= terms.monthly_payment {
            total_paid += owed;
            return Ok(Payoff::PaidOff {
                months: month,
                total_paid,
                total_interest_and_fees: total_paid - terms.balance,
                last_payment: owed,
            });
        }
        balance = owed - terms.monthly_payment;
        total_paid += terms.monthly_payment;
    }
    Ok(Payoff::LongerThan {
        months: PAYOFF_MONTHS_CAP,
        balance_left: balance,
    })
}

/// The basis of a [`Payoff`]: the rule, the first month worked out, and the
/// outcome, so a counsellor can follow the count.
pub fn explain_payoff(terms: &DebtTerms, payoff: &Payoff) -> Basis {
    let rule = "varje månad: ränta = skuld × årsränta / 100 / 12, avrundad till hela ören; \
                skulden ökar med räntan och avgiften och minskar med betalningen; \
                sista månaden betalas bara det som återstår";
    let first = monthly_interest(terms.balance, terms.annual_interest_rate)
        .map(|i| {
            format!(
                "månad 1: ränta {} × {} / 100 / 12 = {}; {} + {} + {} − {}",
                terms.balance.display_kr(),
                terms.annual_interest_rate.normalize(),
                i.display_kr(),
                terms.balance.display_kr(),
                i.display_kr(),
                terms.monthly_fee.display_kr(),
                terms.monthly_payment.display_kr()
            )
        })
        .unwrap_or_default();
    let outcome = match payoff {
        Payoff::PaidOff {
            months,
            total_paid,
            total_interest_and_fees,
            last_payment,
        } => format!(
            "betald efter {months} månader, sista betalningen {}; totalt betalt {}, varav ränta och avgifter {}",
            last_payment.display_kr(),
            total_paid.display_kr(),
            total_interest_and_fees.display_kr()
        ),
        Payoff::NeverPaysOff {
            first_month_charges,
        } => format!(
            "betalningen {} täcker inte första månadens ränta och avgift {}: skulden minskar aldrig",
            terms.monthly_payment.display_kr(),
            first_month_charges.display_kr()
        ),
        Payoff::LongerThan {
            months,
            balance_left,
        } => format!(
            "efter {months} månader återstår {}: tar längre tid än så",
            balance_left.display_kr()
        ),
    };
    let arithmetic = if terms.balance.is_zero() {
        outcome
    } else {
        format!("{first}; {outcome}")
    };
    Basis::new(rule, "", arithmetic)
}

// ---------------------------------------------------------------------------
// Pro-rata offer
// ---------------------------------------------------------------------------

/// A debt and its balance, as the splits read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebtBalance {
    pub debt_id: Uuid,
    pub balance: Money,
}

/// The input of [`pro_rata_offer`]: the monthly amount available for the
/// non-priority creditors, and their debts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProRataInput {
    pub available: Money,
    pub debts: Vec<DebtBalance>,
}

/// One creditor's share of the offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProRataShare {
    pub debt_id: Uuid,
    pub balance: Money,
    pub amount: Money,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProRataOffer {
    pub available: Money,
    pub total_balance: Money,
    /// In the order of the input; they sum exactly to `available`.
    pub shares: Vec<ProRataShare>,
    pub basis: Basis,
}

/// "a / b × c = exact" for a split computed in whole öre: the exact share
/// when it is whole öre, else its floor with "…" and the allocated share
/// (largest remainder). Integer arithmetic only, so nothing is rounded here.
fn share_arithmetic(weight: i64, weight_sum: i64, whole: Money, share: Money) -> String {
    let head = format!(
        "{} / {} × {}",
        Money::from_ore(weight).display_kr(),
        Money::from_ore(weight_sum).display_kr(),
        whole.display_kr()
    );
    let whole_ore = i128::from(whole.to_ore().unwrap_or(0));
    let product = whole_ore * i128::from(weight);
    let sum = i128::from(weight_sum.max(1));
    if product % sum == 0 {
        return format!("{head} = {}", share.display_kr());
    }
    let floor = Money::from_ore(i64::try_from(product / sum).unwrap_or(i64::MAX));
    format!(
        "{head} = {}… → {} (största-rest-metoden: de ören som blir över går till de största resterna)",
        floor.display_kr(),
        share.display_kr()
    )
}

/// Balances in öre, checking each under `debts_path[i].balance` and that no
/// debt is listed twice (`debts_path[i].debt_id`).
fn checked_weights(debts: &[DebtBalance], debts_path: &str, v: &mut Violations) -> Vec<i64> {
    let mut seen = HashSet::with_capacity(debts.len());
    let mut weights = Vec::with_capacity(debts.len());
    for (i, debt) in debts.iter().enumerate() {
        check_balance(debt.balance, &format!("{debts_path}[{i}].balance"), v);
        if !seen.insert(debt.debt_id) {
            v.add(
                format!("{debts_path}[{i}].debt_id"),
                "the same debt is listed twice",
            );
        }
        weights.push(debt.balance.to_ore().unwrap_or(0).max(0));
    }
    // Keeps every sum of balances (and of payouts) inside i64 öre.
    let total: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if total >= max_amount_ore() {
        v.add(
            debts_path,
            "the balances together must have at most 15 digits before the decimal point",
        );
    }
    weights
}

/// Splits the available monthly amount over the non-priority debts by
/// balance: share = balance ÷ total balance × available, in whole öre by the
/// largest-remainder method ([`allocate`]), so the shares sum exactly to the
/// available amount; a debt with a zero balance gets nothing. Shares are
/// monthly amounts and are not capped at a balance: how long each debt then
/// takes is [`months_to_pay_off`]'s answer.
///
/// `Ok(None)` when the total balance is zero: there is nothing to offer on.
/// Fields are reported as `path.available`, `path.debts[i].balance` and
/// `path.debts[i].debt_id`.
pub fn pro_rata_offer(
    input: &ProRataInput,
    path: &str,
) -> Result<Option<ProRataOffer>, DomainError> {
    let mut v = Violations::new();
    check_non_negative_amount(input.available, &field(path, "available"), &mut v);
    let weights = checked_weights(&input.debts, &field(path, "debts"), &mut v);
    v.finish(())?;
    let weight_sum: i64 = weights.iter().sum();
    if weight_sum == 0 {
        return Ok(None);
    }
    let parts = allocate(input.available, &weights)
        .map_err(|e| DomainError::invalid(field(path, "available"), e.to_string()))?;
    let total_balance = Money::from_ore(weight_sum);
    let shares: Vec<ProRataShare> = input
        .debts
        .iter()
        .zip(weights.iter().zip(parts))
        .map(|(debt, (weight, amount))| ProRataShare {
            debt_id: debt.debt_id,
            balance: debt.balance,
            amount,
            basis: Basis::new(
                "pro rata: andel = skuldens saldo ÷ summan av saldona × tillgängligt belopp, \
                 i hela ören så att andelarna summerar exakt",
                "",
                share_arithmetic(*weight, weight_sum, input.available, amount),
            ),
        })
        .collect();
    let amounts: Vec<Money> = shares.iter().map(|s| s.amount).collect();
    Ok(Some(ProRataOffer {
        available: input.available,
        total_balance,
        basis: Basis::new(
            "det tillgängliga beloppet fördelas på borgenärerna utan förtur efter skuldernas storlek",
            "",
            format!(
                "summa saldon {}; andelar {}",
                total_balance.display_kr(),
                sum_arithmetic(&amounts)
            ),
        ),
        shares,
    }))
}

// ---------------------------------------------------------------------------
// Förbehållsbelopp
// ---------------------------------------------------------------------------

/// Where the förbehållsbelopp rules are printed.
pub const FORBEHALLSBELOPP_SOURCE: &str =
    "Kronofogden, kronofogden.se \"Vad du får behålla i en löneutmätning\"";

/// The adults the normalbelopp is counted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adults {
    /// Ensamstående.
    Single,
    /// Makar or sambor: one amount for the pair.
    Couple,
}

impl Adults {
    pub fn as_str(self) -> &'static str {
        match self {
            Adults::Single => "single",
            Adults::Couple => "couple",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<Adults> {
        match s {
            "single" => Some(Adults::Single),
            "couple" => Some(Adults::Couple),
            _ => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Adults::Single => "single_adult",
            Adults::Couple => "cohabiting_pair",
        }
    }
}

/// A child in the household, with the support the child receives each month
/// (which reduces the child's normalbelopp).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildInput {
    /// Whole years.
    pub age: u32,
    pub barnbidrag: Money,
    /// Underhållsstöd or underhållsbidrag received for the child.
    pub underhallsstod: Money,
    pub studiebidrag: Money,
}

/// A housing allowance, deducted from the housing cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HousingAllowanceKind {
    Bostadsbidrag,
    Bostadstillagg,
    Boendetillagg,
}

impl HousingAllowanceKind {
    pub const ALL: [HousingAllowanceKind; 3] = [
        HousingAllowanceKind::Bostadsbidrag,
        HousingAllowanceKind::Bostadstillagg,
        HousingAllowanceKind::Boendetillagg,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HousingAllowanceKind::Bostadsbidrag => "bostadsbidrag",
            HousingAllowanceKind::Bostadstillagg => "bostadstillagg",
            HousingAllowanceKind::Boendetillagg => "boendetillagg",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<HousingAllowanceKind> {
        HousingAllowanceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            HousingAllowanceKind::Bostadsbidrag => "bostadsbidrag",
            HousingAllowanceKind::Bostadstillagg => "bostadstillägg",
            HousingAllowanceKind::Boendetillagg => "boendetillägg",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HousingAllowance {
    pub kind: HousingAllowanceKind,
    /// Per month.
    pub amount: Money,
}

/// The additions Kronofogden may approve on top of the normalbelopp and the
/// housing cost (kronofogden.se): work travel, medicine and care up to the
/// högkostnadsskydd, umgänge with children, and others it approves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdditionKind {
    WorkTravel,
    MedicineAndCare,
    Umgange,
    Other,
}

impl AdditionKind {
    pub const ALL: [AdditionKind; 4] = [
        AdditionKind::WorkTravel,
        AdditionKind::MedicineAndCare,
        AdditionKind::Umgange,
        AdditionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdditionKind::WorkTravel => "work_travel",
            AdditionKind::MedicineAndCare => "medicine_and_care",
            AdditionKind::Umgange => "umgange",
            AdditionKind::Other => "other",
        }
    }

    pub fn from_str_opt(s: &str) -> Option<AdditionKind> {
        AdditionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AdditionKind::WorkTravel => "arbetsresor",
            AdditionKind::MedicineAndCare => "medicin och vård",
            AdditionKind::Umgange => "umgänge med barn",
            AdditionKind::Other => "annat godkänt tillägg",
        }
    }
}

/// An approved addition, per month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    pub kind: AdditionKind,
    pub description: String,
    pub amount: Money,
}

pub const MAX_DESCRIPTION_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedAmountInput {
    pub adults: Adults,
    pub children: Vec<ChildInput>,
    /// The monthly housing cost (for a rented home, the rent).
    pub housing_cost: Money,
    pub housing_allowances: Vec<HousingAllowance>,
    pub additions: Vec<Addition>,
}

/// The förbehållsbelopp with its lines: the normalbelopp for the adults, one
/// line per child, the housing cost, one line per addition. `total` is the
/// sum of the lines shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedAmount {
    pub lines: Vec<Line>,
    pub total: Money,
    pub basis: Basis,
    pub provisional: bool,
    pub warnings: Vec<String>,
    pub tables: Vec<TableRef>,
}

/// The normalbelopp row of a child's age band.
fn normalbelopp_child_key(age: u32) -> &'static str {
    match age {
        0..=6 => "child_0_6",
        7..=10 => "child_7_10",
        11..=14 => "child_11_14",
        _ => "child_15_plus",
    }
}

/// Checks the input of [`protected_amount`]; fields are reported as
/// `path.children[i].barnbidrag` (…`underhallsstod`, …`studiebidrag`),
/// `path.housing_cost`, `path.housing_allowances[i].amount`,
/// `path.additions[i].amount` and `path.additions[i].description`.
pub fn check_protected_amount_input(input: &ProtectedAmountInput, path: &str) -> Violations {
    let mut v = Violations::new();
    if input.children.len() > MAX_MEMBERS {
        v.add(
            field(path, "children"),
            format!("at most {MAX_MEMBERS} children"),
        );
    }
    for (i, child) in input.children.iter().enumerate() {
        let f = |name: &str| field(path, &format!("children[{i}].{name}"));
        check_non_negative_amount(child.barnbidrag, &f("barnbidrag"), &mut v);
        check_non_negative_amount(child.underhallsstod, &f("underhallsstod"), &mut v);
        check_non_negative_amount(child.studiebidrag, &f("studiebidrag"), &mut v);
    }
    check_non_negative_amount(input.housing_cost, &field(path, "housing_cost"), &mut v);
    for (i, allowance) in input.housing_allowances.iter().enumerate() {
        check_non_negative_amount(
            allowance.amount,
            &field(path, &format!("housing_allowances[{i}].amount")),
            &mut v,
        );
    }
    for (i, addition) in input.additions.iter().enumerate() {
        check_non_negative_amount(
            addition.amount,
            &field(path, &format!("additions[{i}].amount")),
            &mut v,
        );
        let description = field(path, &format!("additions[{i}].description"));
        if addition.description.chars().count() > MAX_DESCRIPTION_CHARS {
            v.add(
                &description,
                format!("at most {MAX_DESCRIPTION_CHARS} characters"),
            );
        } else if addition.description.chars().any(char::is_control) {
            v.add(&description, "must not contain control characters");
        }
    }
    v
}

/// The förbehållsbelopp under löneutmätning (kronofogden.se, "Vad du får
/// behålla i en löneutmätning"; DESIGN §3.4):
/// - the normalbelopp for the adults: ensamstående, or makar/sambor as one
///   amount for the pair;
/// - for each child, the normalbelopp of its age band (0–6, 7–10, 11–14,
///   15 and over) reduced by the barnbidrag, underhållsstöd/underhållsbidrag
///   and studiebidrag received for it, never below zero;
/// - the housing cost minus bostadsbidrag, bostadstillägg and boendetillägg,
///   never below zero;
/// - the approved additions.
///
/// `table` is the normalbelopp table in force for the month (see
/// [`norms::in_force`]); a table of another kind is refused as
/// `NormTableMissing` for normalbelopp. All inputs are whole öre, so no line
/// is rounded.
pub fn protected_amount(
    input: &ProtectedAmountInput,
    table: &NormTable,
    path: &str,
) -> Result<ProtectedAmount, DomainError> {
    check_protected_amount_input(input, path).finish(())?;
    if table.kind != NormKind::Normalbelopp {
        return Err(DomainError::NormTableMissing {
            kind: NormKind::Normalbelopp,
            date: table.valid_from,
        });
    }
    let citation = table.citation();
    let mut lines = Vec::new();

    let adult_key = input.adults.key();
    let adult_amount = table.amount(adult_key)?;
    let adult_label = row_label(table.kind, adult_key);
    lines.push(Line {
        label: format!("normalbelopp, {adult_label}"),
        amount: adult_amount,
        basis: Basis::new(
            "förbehållsbelopp: normalbelopp för vuxna",
            format!("{citation}, {adult_label}: {}", adult_amount.display_kr()),
            adult_amount.display_kr(),
        ),
    });

    for (i, child) in input.children.iter().enumerate() {
        let key = normalbelopp_child_key(child.age);
        let band = table.amount(key)?;
        let band_label = row_label(table.kind, key);
        let supports = [
            ("barnbidrag", child.barnbidrag),
            ("underhållsstöd", child.underhallsstod),
            ("studiebidrag", child.studiebidrag),
        ];
        let received: Money = supports.iter().map(|(_, m)| *m).sum();
        let reduced = band - received;
        let amount = reduced.max(Money::ZERO);
        let mut arithmetic = band.display_kr();
        for (name, support) in supports.iter().filter(|(_, m)| !m.is_zero()) {
            arithmetic.push_str(&format!(" − {} ({name})", support.display_kr()));
        }
        if !received.is_zero() {
            arithmetic.push_str(&format!(" = {}", reduced.display_kr()));
            if reduced.is_negative() {
                arithmetic.push_str(" → 0 (aldrig under noll)");
            }
        }
        lines.push(Line {
            label: format!("normalbelopp, barn {} ({} år)", i + 1, child.age),
            amount,
            basis: Basis::new(
                "förbehållsbelopp: normalbelopp för barn efter ålder, minskat med barnbidrag, \
                 underhållsstöd och studiebidrag som barnet får, aldrig under noll",
                format!("{citation}, {band_label}: {}", band.display_kr()),
                arithmetic,
            ),
        });
    }

    let allowances: Money = input.housing_allowances.iter().map(|a| a.amount).sum();
    let net_housing = input.housing_cost - allowances;
    let housing = net_housing.max(Money::ZERO);
    let mut arithmetic = input.housing_cost.display_kr();
    for allowance in &input.housing_allowances {
        arithmetic.push_str(&format!(
            " − {} ({})",
            allowance.amount.display_kr(),
            allowance.kind.label()
        ));
    }
    if !input.housing_allowances.is_empty() {
        arithmetic.push_str(&format!(" = {}", net_housing.display_kr()));
        if net_housing.is_negative() {
            arithmetic.push_str(" → 0 (aldrig under noll)");
        }
    }
    lines.push(Line {
        label: "boendekostnad".to_owned(),
        amount: housing,
        basis: Basis::new(
            "förbehållsbelopp: boendekostnaden, minskad med bostadsbidrag, bostadstillägg och \
             boendetillägg, aldrig under noll",
            FORBEHALLSBELOPP_SOURCE,
            arithmetic,
        ),
    });

    for addition in &input.additions {
        let label = if addition.description.is_empty() {
            format!("tillägg: {}", addition.kind.label())
        } else {
            format!(
                "tillägg: {} ({})",
                addition.kind.label(),
                addition.description
            )
        };
        lines.push(Line {
            label,
            amount: addition.amount,
            basis: Basis::new(
                "förbehållsbelopp: tillägg som Kronofogden godtar",
                FORBEHALLSBELOPP_SOURCE,
                addition.amount.display_kr(),
            ),
        });
    }

    let amounts: Vec<Money> = lines.iter().map(|l| l.amount).collect();
    let total: Money = amounts.iter().sum();
    let provisional = table.status == TableStatus::Provisional;
    let mut warnings = Vec::new();
    if provisional {
        warnings.push(format!(
            "the normalbelopp table {} is provisional: the result must be checked against Kronofogden's official figures",
            table.id
        ));
    }
    Ok(ProtectedAmount {
        lines,
        total,
        basis: Basis::new(
            "förbehållsbelopp = normalbelopp + boendekostnad + godkända tillägg",
            format!("{citation}; {FORBEHALLSBELOPP_SOURCE}"),
            sum_arithmetic(&amounts),
        ),
        provisional,
        warnings,
        tables: vec![table.table_ref()],
    })
}

/// What löneutmätning can take: net income − förbehållsbelopp, never below
/// zero.
pub fn garnishable(net_income: Money, protected: Money) -> Money {
    (net_income - protected).max(Money::ZERO)
}

/// [`garnishable`] as a line with its basis.
pub fn garnishable_line(net_income: Money, protected: Money) -> Line {
    let amount = garnishable(net_income, protected);
    Line {
        label: "utmätningsbart belopp".to_owned(),
        amount,
        basis: Basis::new(
            "löneutmätning: nettoinkomsten minus förbehållsbeloppet, aldrig under noll",
            FORBEHALLSBELOPP_SOURCE,
            format!(
                "max(0, {} − {}) = {}",
                net_income.display_kr(),
                protected.display_kr(),
                amount.display_kr()
            ),
        ),
    }
}

// ---------------------------------------------------------------------------
// Skuldsanering estimate
// ---------------------------------------------------------------------------

/// Where the skuldsanering rules are printed.
pub const SKULDSANERING_SOURCE: &str =
    "Kronofogden, kronofogden.se \"Betalning under skuldsanering\" och \"Förslag och beslut\"";
/// The smallest buffer above the förbehållsbelopp in skuldsanering, kronor a
/// month; also the default.
pub const SKULDSANERING_MIN_BUFFER_KR: i64 = 500;
/// Kronofogden's yearly fee, deducted before the creditors are paid, kronor.
pub const SKULDSANERING_YEARLY_FEE_KR: i64 = 500;
/// Payment months a year: all but June and December.
pub const SKULDSANERING_PAYMENT_MONTHS: u32 = 10;
/// The normal length in years, and the default.
pub const SKULDSANERING_DEFAULT_YEARS: u32 = 5;
/// The longest length accepted for an estimate, in years.
pub const SKULDSANERING_MAX_YEARS: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuldsaneringInput {
    /// The förbehållsbelopp, without the buffer (see [`protected_amount`]).
    pub protected_amount: Money,
    /// At least [`SKULDSANERING_MIN_BUFFER_KR`]; `None` for that minimum.
    pub buffer: Option<Money>,
    /// Monthly net income.
    pub net_income: Money,
    /// 1..=[`SKULDSANERING_MAX_YEARS`]; `None` for
    /// [`SKULDSANERING_DEFAULT_YEARS`].
    pub years: Option<u32>,
    pub debts: Vec<DebtBalance>,
}

/// What one creditor receives in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditorPayout {
    pub debt_id: Uuid,
    pub amount: Money,
    pub basis: Basis,
}

/// One year of the skuldsanering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuldsaneringYear {
    /// 1-based.
    pub year: u32,
    /// Monthly payment × payment months.
    pub paid_in: Money,
    /// The yearly fee, at most what was paid in.
    pub fee: Money,
    /// `paid_in` − `fee`.
    pub to_distribute: Money,
    /// In the order of the debts; they sum exactly to `distributed`.
    pub payouts: Vec<CreditorPayout>,
    /// min(`to_distribute`, what is still owed).
    pub distributed: Money,
    /// What is left once every debt is paid in full: not paid to anyone.
    pub undistributed: Money,
}

/// One creditor over the whole skuldsanering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditorOutcome {
    pub debt_id: Uuid,
    pub balance: Money,
    pub received: Money,
    /// `balance` − `received`: what is left unpaid at the end.
    pub unpaid: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuldsaneringEstimate {
    /// How the yearly amount for the creditors is reached, line by line.
    pub lines: Vec<Line>,
    pub buffer: Money,
    pub monthly_payment: Money,
    pub length_years: u32,
    pub years: Vec<SkuldsaneringYear>,
    pub creditors: Vec<CreditorOutcome>,
    pub total_debt: Money,
    pub total_paid_in: Money,
    pub total_fees: Money,
    pub total_distributed: Money,
    pub total_undistributed: Money,
    pub total_unpaid: Money,
}

/// Splits `amount` öre over `weights` (the debts at the start) by
/// [`allocate`], never giving a debt more than its `room` (what is still
/// owed): a part that would exceed it is capped and the excess is split
/// again, by the same weights, over the debts still owed. Returns the first
/// split and the final payouts. `amount` must not exceed Σ`room`; every
/// debt with room has a positive weight (room ≤ its starting balance).
/// Each round either places everything or fills at least one debt, so there
/// are at most `weights.len()` + 1 rounds.
fn split_capped(amount: i64, weights: &[i64], room: &[i64]) -> (Vec<i64>, Vec<i64>) {
    let n = weights.len();
    let mut paid = vec![0_i64; n];
    let mut first: Option<Vec<i64>> = None;
    let mut left = amount;
    while left > 0 {
        let eligible: Vec<i64> = (0..n)
            .map(|i| if room[i] > paid[i] { weights[i] } else { 0 })
            .collect();
        let Ok(parts) = allocate(Money::from_ore(left), &eligible) else {
            break;
        };
        let parts: Vec<i64> = parts.iter().map(|p| p.to_ore().unwrap_or(0)).collect();
        if first.is_none() {
            first = Some(parts.clone());
        }
        let mut placed = 0;
        for ((paid, part), room) in paid.iter_mut().zip(&parts).zip(room) {
            let give = (*part).min(room - *paid).max(0);
            *paid += give;
            placed += give;
        }
        if placed == 0 {
            break;
        }
        left -= placed;
    }
    (first.unwrap_or_else(|| vec![0; n]), paid)
}

/// Checks the input of [`skuldsanering_estimate`]; fields are reported as
/// `path.protected_amount`, `path.buffer`, `path.net_income`, `path.years`
/// and `path.debts[i].balance` / `.debt_id` (or `path.debts` when no debt
/// has a balance).
pub fn check_skuldsanering_input(input: &SkuldsaneringInput, path: &str) -> Violations {
    let mut v = Violations::new();
    check_non_negative_amount(
        input.protected_amount,
        &field(path, "protected_amount"),
        &mut v,
    );
    check_non_negative_amount(input.net_income, &field(path, "net_income"), &mut v);
    if let Some(buffer) = input.buffer {
        let f = field(path, "buffer");
        if buffer < Money::from_kronor(SKULDSANERING_MIN_BUFFER_KR) {
            v.add(
                f,
                format!("at least {SKULDSANERING_MIN_BUFFER_KR} kr a month in skuldsanering"),
            );
        } else {
            check_non_negative_amount(buffer, &f, &mut v);
        }
    }
    if let Some(years) = input.years
        && !(1..=SKULDSANERING_MAX_YEARS).contains(&years)
    {
        v.add(
            field(path, "years"),
            format!("between 1 and {SKULDSANERING_MAX_YEARS} years"),
        );
    }
    let weights = checked_weights(&input.debts, &field(path, "debts"), &mut v);
    if v.is_empty() && weights.iter().all(|w| *w == 0) {
        v.add(
            field(path, "debts"),
            "at least one debt with a balance above zero",
        );
    }
    v
}

/// A skuldsanering estimate (kronofogden.se, "Betalning under skuldsanering";
/// DESIGN §3.4):
/// - the debtor keeps the förbehållsbelopp + a buffer of at least 500 kr a
///   month (500 by default);
/// - the monthly payment is the net income above that, never below zero,
///   paid ten months a year (June and December are payment-free);
/// - each year Kronofogden's fee of 500 kr is deducted from what was paid in
///   (never more than was paid in), and the rest is paid out to the creditors
///   once a year, pro rata to each debt's share of the total debt at the
///   start, in whole öre by [`allocate`] so the payouts sum exactly;
/// - no creditor is paid more than it is still owed: a capped share is split
///   again over the debts still owed, and whatever is left once every debt is
///   paid in full is reported as `undistributed` and paid to no one;
/// - the estimate runs for the given number of years (5 by default; 1–10
///   accepted) with the same income every year, and shows each creditor's
///   yearly payouts, its total and what is left unpaid at the end.
///
/// Since each year is split on its own, the largest-remainder öre go to the
/// same debts every year: a debt may receive up to one öre a year more than
/// another of the same size.
pub fn skuldsanering_estimate(
    input: &SkuldsaneringInput,
    path: &str,
) -> Result<SkuldsaneringEstimate, DomainError> {
    check_skuldsanering_input(input, path).finish(())?;
    let buffer = input
        .buffer
        .unwrap_or(Money::from_kronor(SKULDSANERING_MIN_BUFFER_KR));
    let length_years = input.years.unwrap_or(SKULDSANERING_DEFAULT_YEARS);
    let living = input.protected_amount + buffer;
    let monthly_payment = (input.net_income - living).max(Money::ZERO);
    let months = i64::from(SKULDSANERING_PAYMENT_MONTHS);
    let paid_in = monthly_payment
        .mul_ratio(months, 1)
        .ok_or_else(|| overflow(path, "net_income"))?;
    let fee = Money::from_kronor(SKULDSANERING_YEARLY_FEE_KR).min(paid_in);
    let to_distribute = paid_in - fee;

    let weights: Vec<i64> = input
        .debts
        .iter()
        .map(|d| d.balance.to_ore().unwrap_or(0))
        .collect();
    let weight_sum: i64 = weights.iter().sum();
    let total_debt = Money::from_ore(weight_sum);
    let to_distribute_ore = to_distribute
        .to_ore()
        .ok_or_else(|| overflow(path, "net_income"))?;

    let lines = vec![
        Line {
            label: "förbehållsbelopp".to_owned(),
            amount: input.protected_amount,
            basis: Basis::new(
                "förbehållsbelopp = normalbelopp + boendekostnad + godkända tillägg",
                FORBEHALLSBELOPP_SOURCE,
                input.protected_amount.display_kr(),
            ),
        },
        Line {
            label: "buffert".to_owned(),
            amount: buffer,
            basis: Basis::new(
                "skuldsanering: förbehållsbeloppet innehåller en buffert på minst 500 kr i månaden",
                SKULDSANERING_SOURCE,
                buffer.display_kr(),
            ),
        },
        Line {
            label: "förbehållsbelopp i skuldsanering".to_owned(),
            amount: living,
            basis: Basis::new(
                "förbehållsbelopp + buffert",
                SKULDSANERING_SOURCE,
                format!(
                    "{} + {} = {}",
                    input.protected_amount.display_kr(),
                    buffer.display_kr(),
                    living.display_kr()
                ),
            ),
        },
        Line {
            label: "betalning per månad".to_owned(),
            amount: monthly_payment,
            basis: Basis::new(
                "skuldsanering: all inkomst över förbehållsbeloppet betalas varje månad, aldrig under noll",
                SKULDSANERING_SOURCE,
                format!(
                    "max(0, {} − {}) = {}",
                    input.net_income.display_kr(),
                    living.display_kr(),
                    monthly_payment.display_kr()
                ),
            ),
        },
        Line {
            label: "inbetalt per år".to_owned(),
            amount: paid_in,
            basis: Basis::new(
                "skuldsanering: juni och december är betalningsfria, så det betalas 10 månader om året",
                SKULDSANERING_SOURCE,
                format!(
                    "{} × {months} = {}",
                    monthly_payment.display_kr(),
                    paid_in.display_kr()
                ),
            ),
        },
        Line {
            label: "årsavgift till Kronofogden".to_owned(),
            amount: fee,
            basis: Basis::new(
                "skuldsanering: en avgift på 500 kr om året dras innan borgenärerna får betalt, högst det som betalats in",
                SKULDSANERING_SOURCE,
                format!(
                    "min({}, {}) = {}",
                    Money::from_kronor(SKULDSANERING_YEARLY_FEE_KR).display_kr(),
                    paid_in.display_kr(),
                    fee.display_kr()
                ),
            ),
        },
        Line {
            label: "till borgenärerna per år".to_owned(),
            amount: to_distribute,
            basis: Basis::new(
                "skuldsanering: det som betalats in minus avgiften betalas ut till borgenärerna en gång om året",
                SKULDSANERING_SOURCE,
                format!(
                    "{} − {} = {}",
                    paid_in.display_kr(),
                    fee.display_kr(),
                    to_distribute.display_kr()
                ),
            ),
        },
    ];

    let mut owed = weights.clone();
    let mut received = vec![0_i64; weights.len()];
    let mut years = Vec::with_capacity(length_years as usize);
    for year in 1..=length_years {
        let still_owed: i64 = owed.iter().sum();
        let distributed = to_distribute_ore.min(still_owed);
        let (first, paid) = split_capped(distributed, &weights, &owed);
        let payouts = input
            .debts
            .iter()
            .enumerate()
            .map(|(i, debt)| {
                let amount = Money::from_ore(paid[i]);
                let share = share_arithmetic(
                    weights[i],
                    weight_sum,
                    Money::from_ore(distributed),
                    Money::from_ore(first[i]),
                );
                let arithmetic = if paid[i] == first[i] {
                    share
                } else if paid[i] < first[i] {
                    format!(
                        "{share}; högst återstående skuld {}",
                        Money::from_ore(owed[i]).display_kr()
                    )
                } else {
                    format!(
                        "{share}; + {} som översteg andra borgenärers återstående skuld = {}",
                        Money::from_ore(paid[i] - first[i]).display_kr(),
                        amount.display_kr()
                    )
                };
                CreditorPayout {
                    debt_id: debt.debt_id,
                    amount,
                    basis: Basis::new(
                        "skuldsanering: utbetalning efter skuldens andel av den totala skulden, i hela ören så att \
                         utbetalningarna summerar exakt; ingen borgenär får mer än den har kvar att fordra",
                        SKULDSANERING_SOURCE,
                        arithmetic,
                    ),
                }
            })
            .collect();
        for ((owed, received), paid) in owed.iter_mut().zip(&mut received).zip(&paid) {
            *owed -= paid;
            *received += paid;
        }
        years.push(SkuldsaneringYear {
            year,
            paid_in,
            fee,
            to_distribute,
            payouts,
            distributed: Money::from_ore(distributed),
            undistributed: Money::from_ore(to_distribute_ore - distributed),
        });
    }

    let creditors: Vec<CreditorOutcome> = input
        .debts
        .iter()
        .enumerate()
        .map(|(i, debt)| CreditorOutcome {
            debt_id: debt.debt_id,
            balance: Money::from_ore(weights[i]),
            received: Money::from_ore(received[i]),
            unpaid: Money::from_ore(owed[i]),
        })
        .collect();
    let total_paid_in = years.iter().map(|y| y.paid_in).sum();
    let total_fees = years.iter().map(|y| y.fee).sum();
    let total_distributed = years.iter().map(|y| y.distributed).sum();
    let total_undistributed = years.iter().map(|y| y.undistributed).sum();
    let total_unpaid = creditors.iter().map(|c| c.unpaid).sum();
    Ok(SkuldsaneringEstimate {
        lines,
        buffer,
        monthly_payment,
        length_years,
        years,
        creditors,
        total_debt,
        total_paid_in,
        total_fees,
        total_distributed,
        total_undistributed,
        total_unpaid,
    })
}

// ---------------------------------------------------------------------------
// Dröjsmålsränta
// ---------------------------------------------------------------------------

/// Räntelagen (1975:635) 6 §: dröjsmålsränta is the referensränta + this
/// many percentage points a year.
pub fn drojsmalsranta_margin() -> Decimal {
    Decimal::from(8)
}

/// A calendar half-year: the periods for which Riksbanken sets the
/// referensränta (räntelagen 9 §: from 1 January and 1 July).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfYear {
    year: i32,
    /// 1 (January–June) or 2 (July–December).
    half: u8,
}

impl HalfYear {
    pub fn of(date: NaiveDate) -> HalfYear {
        HalfYear {
            year: date.year(),
            half: if date.month() <= 6 { 1 } else { 2 },
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 or 2.
    pub fn half(self) -> u8 {
        self.half
    }

    /// 1 January or 1 July. `None` only outside chrono's range of dates.
    pub fn first_day(self) -> Option<NaiveDate> {
        let month = if self.half == 1 { 1 } else { 7 };
        NaiveDate::from_ymd_opt(self.year, month, 1)
    }

    /// 30 June or 31 December.
    pub fn last_day(self) -> Option<NaiveDate> {
        if self.half == 1 {
            NaiveDate::from_ymd_opt(self.year, 6, 30)
        } else {
            NaiveDate::from_ymd_opt(self.year, 12, 31)
        }
    }
}

impl std::fmt::Display for HalfYear {
    /// "2024-H1".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-H{}", self.year, self.half)
    }
}

/// Days from `from` to `to` with both days counted, as Kronofogden counts
/// (2021-01-01..2021-04-20 is 110 days); 0 when `to` is before `from`.
pub fn days_inclusive(from: NaiveDate, to: NaiveDate) -> i64 {
    ((to - from).num_days() + 1).max(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateInterestInput {
    pub principal: Money,
    /// The first day interest runs.
    pub from_date: NaiveDate,
    /// The last day interest runs (counted).
    pub to_date: NaiveDate,
}

/// The part of the time that falls in one half-year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateInterestPeriod {
    pub half_year: HalfYear,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub referensranta: Decimal,
    /// referensränta + 8, percent a year.
    pub rate: Decimal,
    /// Rounded to whole öre for the period.
    pub interest: Money,
    pub table: TableRef,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateInterest {
    pub principal: Money,
    pub days: i64,
    pub periods: Vec<LateInterestPeriod>,
    /// The sum of the periods' rounded interest.
    pub total: Money,
    pub basis: Basis,
    pub provisional: bool,
    pub warnings: Vec<String>,
    pub tables: Vec<TableRef>,
}

/// Checks the input of [`late_payment_interest`]; fields are reported as
/// `path.principal` and `path.to_date`.
pub fn check_late_interest_input(input: &LateInterestInput, path: &str) -> Violations {
    let mut v = Violations::new();
    check_non_negative_amount(input.principal, &field(path, "principal"), &mut v);
    if input.to_date < input.from_date {
        v.add(field(path, "to_date"), "must not be before from_date");
    }
    v
}

/// Dröjsmålsränta on `principal` from `from_date` to `to_date`, both days
/// counted (räntelagen 6 §, 9 §; DESIGN §3.4):
/// - the time is split at half-year boundaries (1 January, 1 July);
/// - each half-year's rate is the referensränta in force on its first day
///   (the referensränta table from `tables` in force then) + 8 percentage
///   points;
/// - each period's interest = principal × rate / 100 × days / 365, rounded
///   half away from zero to whole öre (a named rounding point); 365 also in a
///   leap year, as Kronofogden's calculator counts;
/// - the total is the sum of the rounded periods.
///
/// A half-year with no referensränta table fails with `NormTableMissing`
/// for referensränta on the half-year's first day, which names the half-year:
/// never another period's rate.
pub fn late_payment_interest(
    input: &LateInterestInput,
    tables: &[NormTable],
    path: &str,
) -> Result<LateInterest, DomainError> {
    check_late_interest_input(input, path).finish(())?;
    let mut periods = Vec::new();
    let mut cursor = input.from_date;
    loop {
        let half_year = HalfYear::of(cursor);
        let (Some(first_day), Some(last_day)) = (half_year.first_day(), half_year.last_day())
        else {
            return Err(DomainError::invalid(
                field(path, "from_date"),
                "outside the dates the service can count",
            ));
        };
        // Read on the half-year's first day, so the error names the half-year.
        let table = norms::in_force(tables, NormKind::Referensranta, first_day)?;
        let referensranta =
            *table
                .rows
                .get("referensranta")
                .ok_or_else(|| DomainError::NormRowMissing {
                    table_id: table.id.clone(),
                    key: "referensranta".to_owned(),
                })?;
        let rate = referensranta + drojsmalsranta_margin();
        let to = last_day.min(input.to_date);
        let days = days_inclusive(cursor, to);
        let exact = input
            .principal
            .as_decimal()
            .checked_mul(rate)
            .and_then(|x| x.checked_mul(Decimal::from(days)))
            .and_then(|x| x.checked_div(Decimal::from(36_500)))
            .ok_or_else(|| overflow(path, "principal"))?;
        let interest = Money::from_decimal(exact).round(Rounding::HalfAwayFromZeroOre);
        periods.push(LateInterestPeriod {
            half_year,
            from: cursor,
            to,
            days,
            referensranta,
            rate,
            interest,
            table: table.table_ref(),
            basis: Basis::new(
                "dröjsmålsränta = referensräntan för halvåret + 8 procentenheter (räntelagen 6 §, 9 §), \
                 per dag: faktiska dagar / 365, båda ändpunkterna räknas, avrundad till hela ören per period",
                format!(
                    "{}, referensränta {half_year}: {} %",
                    table.citation(),
                    referensranta
                ),
                format!(
                    "{} × ({} + 8) % × {days} / 365 = {}",
                    input.principal.display_kr(),
                    referensranta,
                    interest.display_kr()
                ),
            ),
        });
        if to >= input.to_date {
            break;
        }
        match to.succ_opt() {
            Some(next) => cursor = next,
            None => break,
        }
    }
    let amounts: Vec<Money> = periods.iter().map(|p| p.interest).collect();
    let total: Money = amounts.iter().sum();
    let mut tables_used: Vec<TableRef> = Vec::new();
    for period in &periods {
        if !tables_used.contains(&period.table) {
            tables_used.push(period.table.clone());
        }
    }
    let provisional = tables_used
        .iter()
        .any(|t| t.status == TableStatus::Provisional);
    let warnings = tables_used
        .iter()
        .filter(|t| t.status == TableStatus::Provisional)
        .map(|t| {
            format!(
                "the referensränta table {} is provisional: the result must be checked against the official rate",
                t.id
            )
        })
        .collect();
    Ok(LateInterest {
        principal: input.principal,
        days: days_inclusive(input.from_date, input.to_date),
        periods,
        total,
        basis: Basis::new(
            "dröjsmålsränta: summan av periodernas avrundade ränta",
            "räntelagen (1975:635) 6 §, 9 §",
            sum_arithmetic(&amounts),
        ),
        provisional,
        warnings,
        tables: tables_used,
    })
}

#[cfg(test)]
mod tests;
