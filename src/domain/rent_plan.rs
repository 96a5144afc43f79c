//! Rent-arrears payment plans (DESIGN §3.5): a lease's rent history, the
//! dates jordabalken attaches to late rent, the schedule of an
//! avbetalningsplan and how payments are tracked against it.
//!
//! Terms, once each:
//! - **hyresskuld**: rent arrears, the rent a household owes for past months.
//! - **avbetalningsplan**: a payment plan agreed with the hyresvärd (landlord)
//!   in which the household pays the ordinary rent and, on the same day, an
//!   instalment towards the hyresskuld.
//! - **förverkande**: the landlord's right to end a home lease early because
//!   rent is paid late (jordabalken 12 kap. 42 §).
//! - **underrättelse**: the landlord's notice to the tenant, after which the
//!   tenant keeps the home by paying within three weeks (JB 12:44).
//!
//! Conventions (each one a rule a counsellor can check by hand):
//! - Money is exact [`Money`]; nothing here uses floating point. Amounts
//!   given to this module are whole öre with at most 15 integer digits, as on
//!   the wire; the checks below reject anything else.
//! - The only rounding is the split of the arrears into instalments, done by
//!   [`allocate`] (largest remainder, whole öre), so the instalments always
//!   sum exactly to the arrears. Every other figure is a sum or difference
//!   of whole-öre amounts.
//! - Dates: each month of a plan, the ordinary rent and the instalment fall
//!   due together on [`rent_due_date`] (JB 12:20, "senast sista vardagen före
//!   varje kalendermånads början", with the service's reading of "vardag"
//!   kept in [`super::calendar`]). A payment made on the due date is on time.
//! - Legal dates ([`forfeiture_date`], [`eviction_notice_deadline`]) are the
//!   *earliest* the law allows: they never move a date later for lag
//!   (1930:173), so a date the service shows is never later than the real
//!   one (see each function for what that leaves out).
//! - Tracking covers the instalments towards the arrears only. Whether the
//!   ordinary rent of a month was paid is the rent-paid check's question
//!   (DESIGN §3.7), not this module's.
//! - Input checks name fields under the request path the caller gives
//!   (`plan.arrears`, or `arrears` for an empty path); descriptions never
//!   repeat a value, since amounts are personal data.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use super::calendar::{YearMonth, rent_due_date};
use super::debt::check_non_negative_amount;
use super::error::{DomainError, Violations};
use super::explain::Basis;
use super::money::{Money, allocate};

/// Where the rent due date comes from.
pub const DUE_DATE_SOURCE: &str = "jordabalken 12 kap. 20 §: hyran betalas senast sista vardagen före varje kalendermånads början";

/// The longest plan the service schedules: ten years. Real plans run months,
/// not decades; the cap keeps a typo (an instalment of one krona) from
/// producing thousands of rows.
pub const MAX_PLAN_MONTHS: u32 = 120;

/// `path.name`, or `name` alone when the path is empty.
fn field(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Records why `amount` is not a positive amount of whole öre with at most 15
/// integer digits.
fn check_positive_amount(amount: Money, field: &str, v: &mut Violations) {
    if amount.is_zero() {
        v.add(field, "must be greater than zero");
    } else {
        check_non_negative_amount(amount, field, v);
    }
}

// ---------------------------------------------------------------------------
// Rent history
// ---------------------------------------------------------------------------

/// From `from` on, the lease's monthly rent is `amount` (until a later change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RentChange {
    pub from: YearMonth,
    pub amount: Money,
}

/// A lease's monthly rent over time, as a list of changes by month
/// (DESIGN §3.5). A rent increase from a month on leaves earlier months at
/// the old rent; before the first change the lease has no rent (it had not
/// begun, as far as the service knows).
///
/// Invariant: the changes are sorted by month, no two share a month, and
/// every amount is non-negative whole öre. Only [`RentHistory::new`] builds
/// one, so the invariant holds for every value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RentHistory {
    changes: Vec<RentChange>,
}

/// Checks a list of rent changes; fields are reported as `path[i].amount`
/// (negative, fractions of an öre, too large) and `path[i].from` (a second
/// change for a month that already has one; the first keeps no violation).
/// A zero rent is allowed (a rent-free month, e.g. in a jourlägenhet).
pub fn check_rent_changes(changes: &[RentChange], path: &str) -> Violations {
    let mut v = Violations::new();
    let mut seen: HashMap<YearMonth, usize> = HashMap::with_capacity(changes.len());
    for (i, change) in changes.iter().enumerate() {
        check_non_negative_amount(change.amount, &format!("{path}[{i}].amount"), &mut v);
        if seen.insert(change.from, i).is_some() {
            v.add(
                format!("{path}[{i}].from"),
                "another rent change is for the same month",
            );
        }
    }
    v
}

impl RentHistory {
    /// A history from changes in any order. `path` is the request path of
    /// the list (`lease.rent_changes`), for errors.
    pub fn new(mut changes: Vec<RentChange>, path: &str) -> Result<RentHistory, DomainError> {
        check_rent_changes(&changes, path).finish(())?;
        changes.sort_by_key(|c| c.from);
        Ok(RentHistory { changes })
    }

    /// The changes, oldest first.
    pub fn changes(&self) -> &[RentChange] {
        &self.changes
    }

    /// The first month with a rent, if any.
    pub fn first_month(&self) -> Option<YearMonth> {
        self.changes.first().map(|c| c.from)
    }

    /// The rent for `month`: the amount of the latest change at or before it,
    /// or `None` before the first change.
    pub fn rent_for(&self, month: YearMonth) -> Option<Money> {
        let after = self.changes.partition_point(|c| c.from <= month);
        after.checked_sub(1).map(|i| self.changes[i].amount)
    }
}

// ---------------------------------------------------------------------------
// Legal dates for late rent
// ---------------------------------------------------------------------------

/// The first day on which a home lease is forfeitable for not paying the rent
/// for `month`: [`rent_due_date`]`(month)` + 8 days.
///
/// JB 12:42 första stycket 1 p.: the lease is forfeited if the tenant "dröjer
/// med betalning av hyran mer än en vecka efter förfallodagen". The rent is
/// late from the day after the due date; the week runs out at the end of the
/// seventh day after it (due date + 7, the same weekday); the delay is
/// *more* than a week on the eighth day. So payment up to and including due
/// date + 7 keeps the lease; from due date + 8 it is forfeitable.
///
/// Counted in calendar days and deliberately *not* moved for lag (1930:173):
/// when due date + 7 is not a vardag, that law may let payment on the next
/// vardag count as within the week, which would make the real date later.
/// The service shows the earliest date so a case worker is never warned too
/// late. Nor does it model what the law then adds: a breach of ringa
/// betydelse, payment before notice is given (12:43), or the three weeks
/// after an underrättelse (12:44, [`eviction_notice_deadline`]). The date
/// says when forfeiture *can* first be claimed, not that it has happened.
pub fn forfeiture_date(month: YearMonth) -> NaiveDate {
    let due = rent_due_date(month);
    // Rent due dates lie in 1899..=2200, far inside chrono's range.
    due.checked_add_days(Days::new(8)).unwrap_or(NaiveDate::MAX)
}

/// The last day on which the tenant keeps the home by paying after being
/// served an underrättelse for late rent: `served` + 21 days (JB 12:44
/// "inom tre veckor från det att hyresgästen delgavs underrättelse").
///
/// The day of service does not count and the last day does: served on a
/// Monday, the tenant may pay up to and including the Monday three weeks
/// later, and the lease is forfeitable from the day after. As with
/// [`forfeiture_date`], a last day that is not a vardag is not moved to the
/// next vardag under lag (1930:173), so the date is never later than the
/// legal one.
///
/// The three weeks run only once the landlord has also sent the meddelande to
/// socialnämnden (12:44); a caller that knows both dates passes the later of
/// the two as `served`.
pub fn eviction_notice_deadline(served: NaiveDate) -> NaiveDate {
    served
        .checked_add_days(Days::new(21))
        .unwrap_or(NaiveDate::MAX)
}

// ---------------------------------------------------------------------------
// The plan's schedule
// ---------------------------------------------------------------------------

/// What a plan is agreed on: the arrears, the first month, and either the
/// instalment each month or the number of months (exactly one of the two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanTerms {
    pub arrears: Money,
    /// The first month: its instalment falls due with that month's rent.
    /// Reported as `start_month` in errors, as the request names it.
    pub start: YearMonth,
    pub instalment: Option<Money>,
    pub months: Option<u32>,
}

/// One month of a plan: the ordinary rent and the instalment, both due on
/// `due_date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instalment {
    /// 1 for the first month.
    pub number: u32,
    pub month: YearMonth,
    /// [`rent_due_date`] of `month`.
    pub due_date: NaiveDate,
    /// The lease's rent for `month` from its [`RentHistory`].
    pub ordinary_rent: Money,
    /// The part of the arrears due this month.
    pub instalment: Money,
    /// `ordinary_rent + instalment`.
    pub total_due: Money,
    pub basis: Basis,
}

/// A plan's months in order. The instalments sum exactly to `arrears`; each
/// is positive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub arrears: Money,
    pub instalments: Vec<Instalment>,
    /// How the arrears were split.
    pub basis: Basis,
}

impl Schedule {
    /// The largest instalment (the first one, by both splitting rules), or
    /// zero for an empty schedule.
    pub fn largest_instalment(&self) -> Money {
        self.instalments
            .iter()
            .map(|i| i.instalment)
            .max()
            .unwrap_or(Money::ZERO)
    }
}

/// Checks a plan's terms against the lease's rent; fields are reported as
/// `path.arrears`, `path.months`, `path.instalment` and `path.start_month`:
///
/// - `arrears`: positive whole öre;
/// - exactly one of `instalment` and `months` (neither or both: a violation
///   on each of the two fields);
/// - `months`: 1..=[`MAX_PLAN_MONTHS`], and no more months than the arrears
///   has öre (every instalment is at least one öre);
/// - `instalment`: positive whole öre, no more than the arrears, and large
///   enough that the plan ends within [`MAX_PLAN_MONTHS`] months;
/// - `start_month`: the history has a rent for it (not before the lease's
///   first rent), and the plan ends by [`YearMonth::MAX`].
pub fn check_plan_terms(terms: &PlanTerms, history: &RentHistory, path: &str) -> Violations {
    let mut v = Violations::new();
    let arrears_field = field(path, "arrears");
    let months_field = field(path, "months");
    let instalment_field = field(path, "instalment");
    let start_field = field(path, "start_month");

    check_positive_amount(terms.arrears, &arrears_field, &mut v);
    let arrears_ore = if v.is_empty() {
        terms.arrears.to_ore()
    } else {
        None
    };

    let plan_months: Option<u32> = match (terms.instalment, terms.months) {
        (None, None) => {
            let why = "give either an instalment or a number of months";
            v.add(&instalment_field, why);
            v.add(&months_field, why);
            None
        }
        (Some(_), Some(_)) => {
            let why = "give either an instalment or a number of months, not both";
            v.add(&instalment_field, why);
            v.add(&months_field, why);
            None
        }
        (None, Some(months)) => {
            if months == 0 {
                v.add(&months_field, "at least one month");
                None
            } else if months > MAX_PLAN_MONTHS {
                v.add(&months_field, format!("at most {MAX_PLAN_MONTHS} months"));
                None
            } else if arrears_ore.is_some_and(|a| i64::from(months) > a) {
                v.add(
                    &months_field,
                    "more months than öre of arrears: every instalment must be at least one öre",
                );
                None
            } else {
                Some(months)
            }
        }
        (Some(instalment), None) => {
            let mut own = Violations::new();
            check_positive_amount(instalment, &instalment_field, &mut own);
            let instalment_ore = if own.is_empty() {
                instalment.to_ore()
            } else {
                None
            };
            v.extend(own);
            match (arrears_ore, instalment_ore) {
                (Some(a), Some(i)) if i > a => {
                    v.add(&instalment_field, "must not be larger than the arrears");
                    None
                }
                (Some(a), Some(i)) => {
                    let count = instalments_needed(a, i);
                    if count > i64::from(MAX_PLAN_MONTHS) {
                        v.add(
                            &instalment_field,
                            format!(
                                "too small: the plan would run more than {MAX_PLAN_MONTHS} months"
                            ),
                        );
                        None
                    } else {
                        u32::try_from(count).ok()
                    }
                }
                _ => None,
            }
        }
    };

    match history.first_month() {
        None => v.add(&start_field, "the lease has no rent for this month"),
        Some(first) if terms.start < first => v.add(
            &start_field,
            "before the lease's first rent: the lease has no rent for this month",
        ),
        Some(_) => {}
    }
    if let Some(months) = plan_months
        && !ends_in_range(terms.start, months)
    {
        v.add(
            &start_field,
            "the plan would end after the last supported month",
        );
    }
    v
}

/// ⌈arrears / instalment⌉ in öre, both positive.
fn instalments_needed(arrears_ore: i64, instalment_ore: i64) -> i64 {
    arrears_ore / instalment_ore + i64::from(arrears_ore % instalment_ore != 0)
}

/// Whether the month `months − 1` after `start` exists (add_months saturates).
fn ends_in_range(start: YearMonth, months: u32) -> bool {
    let offset = i64::from(months) - 1;
    let last_index = i64::from(start.year()) * 12 + i64::from(start.month()) - 1 + offset;
    last_index <= i64::from(YearMonth::MAX_YEAR) * 12 + 11
}

/// The plan's schedule from its terms and the lease's rent history, by the
/// rules in [`check_plan_terms`] and:
///
/// - **`months` given**: the arrears are split by [`allocate`] into `months`
///   equal-weight parts in whole öre. Each part is first ⌊arrears / months⌋;
///   the r öre left over (r = arrears in öre mod months) go one each to the
///   *first* r months (equal remainders go to the earlier part). So no two
///   instalments differ by more than one öre and the plan is front-loaded.
/// - **`instalment` given**: every month pays the instalment and the last
///   month pays what remains, which is more than zero and at most the
///   instalment: when the arrears are an exact multiple, the plan ends in the
///   month whose instalment clears it instead of adding a month of zero.
///
/// Month *n* (from 1) is `start` + (n − 1); its ordinary rent is
/// [`RentHistory::rent_for`] that month (a rent change during the plan
/// applies from its month on), and the rent and instalment are due together
/// on [`rent_due_date`].
pub fn schedule(
    terms: &PlanTerms,
    history: &RentHistory,
    path: &str,
) -> Result<Schedule, DomainError> {
    check_plan_terms(terms, history, path).finish(())?;
    let arrears_field = field(path, "arrears");
    let invalid = |name: &str, why: &str| DomainError::invalid(field(path, name), why);
    // The checks guarantee whole öre and exactly one of instalment / months;
    // the errors below keep the function total without unwrap.
    let arrears_ore = terms
        .arrears
        .to_ore()
        .ok_or_else(|| DomainError::invalid(&arrears_field, "at most two decimals (whole öre)"))?;

    let (amounts, split_basis) = match (terms.months, terms.instalment) {
        (Some(months), _) => {
            let weights = vec![1_i64; months as usize];
            let parts = allocate(terms.arrears, &weights)
                .map_err(|e| DomainError::invalid(&arrears_field, e.to_string()))?;
            let basis = split_by_months_basis(terms.arrears, arrears_ore, months, &parts);
            (parts, basis)
        }
        (None, Some(instalment)) => {
            let instalment_ore = instalment
                .to_ore()
                .ok_or_else(|| invalid("instalment", "at most two decimals (whole öre)"))?;
            let count = instalments_needed(arrears_ore, instalment_ore);
            let last = Money::from_ore(arrears_ore - instalment_ore * (count - 1));
            let mut parts: Vec<Money> = (1..count).map(|_| instalment).collect();
            parts.push(last);
            let basis = split_by_instalment_basis(terms.arrears, instalment, count, last);
            (parts, basis)
        }
        (None, None) => {
            return Err(invalid(
                "months",
                "give either an instalment or a number of months",
            ));
        }
    };

    let total = amounts.len();
    let mut instalments = Vec::with_capacity(total);
    for (index, amount) in amounts.into_iter().enumerate() {
        // index < MAX_PLAN_MONTHS, so both conversions succeed.
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let month = terms
            .start
            .add_months(i32::try_from(index).unwrap_or(i32::MAX));
        let ordinary_rent = history
            .rent_for(month)
            .ok_or_else(|| invalid("start_month", "the lease has no rent for this month"))?;
        let due_date = rent_due_date(month);
        let total_due = ordinary_rent + amount;
        instalments.push(Instalment {
            number,
            month,
            due_date,
            ordinary_rent,
            instalment: amount,
            total_due,
            basis: Basis::new(
                format!(
                    "månad {number} av {total} ({month}): hyran och avbetalningen på hyresskulden förfaller samma dag, {due_date}"
                ),
                DUE_DATE_SOURCE,
                format!(
                    "hyra {} + avbetalning {} = {}",
                    ordinary_rent.display_kr(),
                    amount.display_kr(),
                    total_due.display_kr()
                ),
            ),
        });
    }
    Ok(Schedule {
        arrears: terms.arrears,
        instalments,
        basis: split_basis,
    })
}

/// "12 000.05 / 6 = 2 000 rest 5 öre: 5 × 2 000.01 + 1 × 2 000 = 12 000.05".
fn split_by_months_basis(arrears: Money, arrears_ore: i64, months: u32, parts: &[Money]) -> Basis {
    let months_i = i64::from(months);
    let base = Money::from_ore(arrears_ore / months_i);
    let extra = arrears_ore % months_i;
    let terms = if extra == 0 {
        format!("{months} × {}", base.display_kr())
    } else {
        let bigger = base + Money::from_ore(1);
        format!(
            "{extra} × {} + {} × {}",
            bigger.display_kr(),
            months_i - extra,
            base.display_kr()
        )
    };
    let total: Money = parts.iter().sum();
    Basis::new(
        "hyresskulden delas i lika stora avbetalningar i hela ören; de ören som blir över går ett \
         var till de första månaderna (största rest), så att avbetalningarna blir exakt skulden",
        "avbetalningsplan, antal månader",
        format!(
            "{} / {months} = {} rest {extra} öre: {terms} = {}",
            arrears.display_kr(),
            base.display_kr(),
            total.display_kr()
        ),
    )
}

/// "5 × 2 000 + 1 × 500 = 10 500", or "6 × 2 000 = 12 000".
fn split_by_instalment_basis(arrears: Money, instalment: Money, count: i64, last: Money) -> Basis {
    let terms = if last == instalment {
        format!("{count} × {}", instalment.display_kr())
    } else {
        format!(
            "{} × {} + 1 × {}",
            count - 1,
            instalment.display_kr(),
            last.display_kr()
        )
    };
    Basis::new(
        "varje månad betalas avbetalningen; sista månaden betalas det som återstår av hyresskulden",
        "avbetalningsplan, avbetalning per månad",
        format!("{terms} = {}", arrears.display_kr()),
    )
}

/// A warning when the plan's largest instalment is more than the household's
/// monthly budget surplus (what is left after the budget's costs, the
/// ordinary rent among them). DESIGN §3.5: such a plan is allowed, but the
/// counsellor should see that the household cannot pay it from its budget.
/// No surplus known (`None`) gives no warning. The text names no amount.
pub fn budget_warning(schedule: &Schedule, surplus: Option<Money>) -> Option<String> {
    let surplus = surplus?;
    (schedule.largest_instalment() > surplus).then(|| {
        "the instalment is larger than the household's monthly budget surplus: \
         the plan can be made, but the budget does not cover it"
            .to_owned()
    })
}

// ---------------------------------------------------------------------------
// Tracking
// ---------------------------------------------------------------------------

/// A payment towards the arrears (a receipt or a payout of kind arrears).
/// The ordinary rent is not a [`Payment`] here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    pub date: NaiveDate,
    pub amount: Money,
}

/// Where one instalment stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstalmentState {
    /// Fully paid (perhaps late).
    Paid,
    /// Due date not yet passed; part paid.
    PartiallyPaid,
    /// Due date passed and not fully paid; `paid` shows any part paid.
    Missed,
    /// Due date not yet passed; nothing paid.
    Upcoming,
}

impl InstalmentState {
    /// The stable name used in storage and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            InstalmentState::Paid => "paid",
            InstalmentState::PartiallyPaid => "partially_paid",
            InstalmentState::Missed => "missed",
            InstalmentState::Upcoming => "upcoming",
        }
    }
}

/// Where the whole plan stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanState {
    /// No instalment missed.
    OnTrack,
    /// At least one instalment missed, fewer than the limit for broken.
    Behind,
    /// Every instalment fully paid.
    Completed,
    /// At least `broken_after` instalments missed.
    Broken,
}

impl PlanState {
    /// The stable name used in storage and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::OnTrack => "on_track",
            PlanState::Behind => "behind",
            PlanState::Completed => "completed",
            PlanState::Broken => "broken",
        }
    }
}

/// One instalment on the date asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalmentStatus {
    pub number: u32,
    pub month: YearMonth,
    pub due_date: NaiveDate,
    /// The instalment (without the ordinary rent).
    pub due: Money,
    /// What the payments counted have paid towards it, 0..=`due`.
    pub paid: Money,
    /// `due − paid`.
    pub outstanding: Money,
    pub state: InstalmentState,
    /// The date of the payment that completed it, when [`InstalmentState::Paid`].
    pub paid_on: Option<NaiveDate>,
}

/// The plan on a date: each instalment, the plan's state and the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStatus {
    /// The date the status is for.
    pub on: NaiveDate,
    pub instalments: Vec<InstalmentStatus>,
    pub state: PlanState,
    /// The number of [`InstalmentState::Missed`] instalments.
    pub missed: u32,
    /// Paid towards the instalments: Σ `paid`.
    pub paid: Money,
    /// Left of the arrears: Σ instalments − `paid`.
    pub outstanding: Money,
    /// What the missed instalments still lack: Σ (`due` − `paid`) over them.
    pub overdue: Money,
    /// Paid beyond the last instalment.
    pub overpaid: Money,
    pub basis: Basis,
}

/// Checks payments: `path[i].amount` must be positive whole öre. (A reversed
/// payout is removed by the caller, not sent as a negative payment.)
pub fn check_payments(payments: &[Payment], path: &str) -> Violations {
    let mut v = Violations::new();
    for (i, payment) in payments.iter().enumerate() {
        check_positive_amount(payment.amount, &format!("{path}[{i}].amount"), &mut v);
    }
    v
}

/// The plan's status on `date` (the civil date in Europe/Stockholm that the
/// caller calls today, or any other day asked about).
///
/// Rules, in order:
/// 1. Only payments dated on or before `date` count; they are applied in
///    date order (payments on the same day in the order given, which cannot
///    change any figure) to the oldest instalment not yet fully paid. What a
///    payment has left after filling an instalment goes to the next one;
///    what is left after the last one is `overpaid`.
/// 2. Each instalment is then [`InstalmentState::Paid`] when `paid == due`;
///    otherwise [`InstalmentState::Missed`] when its due date is before
///    `date` (paid on the due date is on time, JB 12:20 "senast"), whether
///    or not part of it was paid — `paid` shows the part;
///    otherwise [`InstalmentState::PartiallyPaid`] when something is paid,
///    else [`InstalmentState::Upcoming`]. A missed instalment that a later
///    payment completes is Paid from that payment's date on (`paid_on` shows
///    it was late).
/// 3. The plan is [`PlanState::Completed`] when every instalment is paid,
///    else [`PlanState::Broken`] when at least `broken_after` instalments
///    are missed, else [`PlanState::Behind`] when at least one is, else
///    [`PlanState::OnTrack`]. The state describes the date asked about: a
///    household that catches up is back on track (whether the landlord has
///    meanwhile ended the agreement is not this module's knowledge).
///
/// Because money goes to the oldest instalment first, a later instalment has
/// something paid only when every earlier one is fully paid. Errors:
/// `payments[i].amount` not positive whole öre, `broken_after` zero.
pub fn status_on(
    schedule: &Schedule,
    payments: &[Payment],
    date: NaiveDate,
    broken_after: u32,
) -> Result<PlanStatus, DomainError> {
    let mut v = check_payments(payments, "payments");
    if broken_after == 0 {
        v.add("broken_after", "at least one missed instalment");
    }
    v.finish(())?;

    let mut counted: Vec<&Payment> = payments.iter().filter(|p| p.date <= date).collect();
    counted.sort_by_key(|p| p.date);

    let dues: Vec<Money> = schedule.instalments.iter().map(|i| i.instalment).collect();
    let mut paid = vec![Money::ZERO; dues.len()];
    let mut paid_on: Vec<Option<NaiveDate>> = vec![None; dues.len()];
    let mut open = 0;
    let mut overpaid = Money::ZERO;
    for payment in counted {
        let mut left = payment.amount;
        while left.is_positive() {
            let (Some(due), Some(so_far)) = (dues.get(open), paid.get_mut(open)) else {
                overpaid += left;
                break;
            };
            let take = left.min(*due - *so_far);
            *so_far += take;
            left -= take;
            // `take` may be zero only for an instalment of zero, which is
            // then complete and skipped, so the loop always moves on.
            if *so_far >= *due {
                if let Some(slot) = paid_on.get_mut(open) {
                    *slot = Some(payment.date);
                }
                open += 1;
            }
        }
    }

    let mut instalments = Vec::with_capacity(dues.len());
    let mut missed = 0_u32;
    let mut overdue = Money::ZERO;
    for ((instalment, paid), paid_on) in schedule.instalments.iter().zip(paid).zip(paid_on) {
        let due = instalment.instalment;
        let state = if paid >= due {
            InstalmentState::Paid
        } else if instalment.due_date < date {
            InstalmentState::Missed
        } else if paid.is_positive() {
            InstalmentState::PartiallyPaid
        } else {
            InstalmentState::Upcoming
        };
        if state == InstalmentState::Missed {
            missed += 1;
            overdue += due - paid;
        }
        instalments.push(InstalmentStatus {
            number: instalment.number,
            month: instalment.month,
            due_date: instalment.due_date,
            due,
            paid,
            outstanding: due - paid,
            state,
            paid_on: if state == InstalmentState::Paid {
                paid_on
            } else {
                None
            },
        });
    }

    let total_paid: Money = instalments.iter().map(|i| i.paid).sum();
    let total_due: Money = dues.iter().sum();
    let outstanding = total_due - total_paid;
    let state = if instalments.iter().all(|i| i.state == InstalmentState::Paid) {
        PlanState::Completed
    } else if missed >= broken_after {
        PlanState::Broken
    } else if missed >= 1 {
        PlanState::Behind
    } else {
        PlanState::OnTrack
    };
    let basis = Basis::new(
        "betalningar till och med dagen räknas, äldsta öppna avbetalning först; en avbetalning \
         vars förfallodag har passerat utan att den är betald är missad; planen är bruten vid \
         minst det angivna antalet missade avbetalningar",
        DUE_DATE_SOURCE,
        format!(
            "betalt {} av {}, kvar {}; {missed} missade (bruten vid {broken_after}); \
             förfallet obetalt {}; överbetalt {}",
            total_paid.display_kr(),
            total_due.display_kr(),
            outstanding.display_kr(),
            overdue.display_kr(),
            overpaid.display_kr()
        ),
    );
    Ok(PlanStatus {
        on: date,
        instalments,
        state,
        missed,
        paid: total_paid,
        outstanding,
        overdue,
        overpaid,
        basis,
    })
}

#[cfg(test)]
mod tests;
