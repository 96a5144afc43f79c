//! The follow-up's figures computed independently of the service: the
//! tables read row by row with plain SQL, and every definition
//! (`domain::followup::DEFINITIONS`) applied here in Rust, written from the
//! definitions rather than from the service's SQL.

use std::collections::{BTreeMap, HashMap, HashSet};

use budgetrad::domain::calendar::{YearMonth, rent_due_date};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::{AnyPool, Row};

/// (code, dimension) → (value as the wire writes it, cases).
pub type Figures = BTreeMap<(String, String), (String, i64)>;

/// The ladder as issue 22 lists it, lowest first.
const LADDER: [&str; 6] = [
    "emergency",
    "supported",
    "social",
    "housing_first",
    "training",
    "first_hand",
];
const TYPES: [&str; 7] = [
    "first_hand",
    "second_hand",
    "social",
    "housing_first",
    "training",
    "emergency",
    "supported",
];

/// id, lease, household, served, deadline, resolution, resolved
type Notice = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

struct Lease {
    id: String,
    household: String,
    kind: String,
    start: String,
    end: Option<String>,
    rents: Vec<(String, i64)>,
}

pub struct Tables {
    households: HashSet<String>,
    children: HashSet<String>,
    leases: Vec<Lease>,
    /// (lease, month) → Σ rent payouts not reversed, rejected or returned
    /// plus Σ rent receipts.
    covered: HashMap<(String, String), i64>,
    /// kind, amount, payout date, reversed
    payouts: Vec<(String, i64, String, bool)>,
    /// lease, kind, date of arrears payouts and receipts
    arrears_acts: Vec<(String, String)>,
    /// id, lease, household, served, deadline, resolution, resolved
    notices: Vec<Notice>,
    /// id, lease, arrears, start, months, broken_after, created day
    plans: Vec<(String, String, i64, String, i64, i64, String)>,
    plan_payments: HashMap<String, Vec<(NaiveDate, i64)>>,
    debts: Vec<(String, String)>,
}

fn s(row: &sqlx::any::AnyRow, c: &str) -> String {
    row.try_get::<String, _>(c).expect(c)
}
fn o(row: &sqlx::any::AnyRow, c: &str) -> Option<String> {
    row.try_get::<Option<String>, _>(c).expect(c)
}
fn i(row: &sqlx::any::AnyRow, c: &str) -> i64 {
    row.try_get::<i64, _>(c).expect(c)
}

async fn rows(pool: &AnyPool, sql: &'static str) -> Vec<sqlx::any::AnyRow> {
    sqlx::query(sql).fetch_all(pool).await.expect(sql)
}

impl Tables {
    /// The tables as they are, of the households in `units` (None: all).
    pub async fn read(pool: &AnyPool, units: Option<&[&str]>) -> Tables {
        let households: HashSet<String> = rows(pool, "SELECT id, unit FROM households")
            .await
            .iter()
            .filter(|r| units.is_none_or(|u| u.contains(&s(r, "unit").as_str())))
            .map(|r| s(r, "id"))
            .collect();
        let mine = |h: &str| households.contains(h);
        let children = rows(
            pool,
            "SELECT household_id FROM household_members WHERE role = 'child'",
        )
        .await
        .iter()
        .map(|r| s(r, "household_id"))
        .filter(|h| mine(h))
        .collect();
        let mut rents: HashMap<String, Vec<(String, i64)>> = HashMap::new();
        for r in rows(
            pool,
            "SELECT lease_id, from_month, rent_ore FROM lease_rents",
        )
        .await
        {
            rents
                .entry(s(&r, "lease_id"))
                .or_default()
                .push((s(&r, "from_month"), i(&r, "rent_ore")));
        }
        let mut leases = Vec::new();
        for r in rows(
            pool,
            "SELECT id, household_id, contract_type, end_month FROM leases",
        )
        .await
        {
            if !mine(&s(&r, "household_id")) {
                continue;
            }
            let mut history = rents.remove(&s(&r, "id")).unwrap_or_default();
            history.sort();
            leases.push(Lease {
                id: s(&r, "id"),
                household: s(&r, "household_id"),
                kind: s(&r, "contract_type"),
                start: history.first().map(|(m, _)| m.clone()).expect("a start"),
                end: o(&r, "end_month"),
                rents: history,
            });
        }
        let voided: HashSet<String> = rows(
            pool,
            "SELECT payout_id FROM rent_payout_reversals UNION \
             SELECT payout_id FROM payout_bank_states WHERE state IN ('rejected', 'returned')",
        )
        .await
        .iter()
        .map(|r| s(r, "payout_id"))
        .collect();
        let reversed: HashSet<String> = rows(pool, "SELECT payout_id FROM rent_payout_reversals")
            .await
            .iter()
            .map(|r| s(r, "payout_id"))
            .collect();
        let mut covered = HashMap::new();
        let mut payouts = Vec::new();
        let mut arrears_acts = Vec::new();
        for r in rows(
            pool,
            "SELECT id, household_id, lease_id, rent_month, kind, amount_ore, payout_date FROM rent_payouts",
        )
        .await
        {
            if !mine(&s(&r, "household_id")) {
                continue;
            }
            let id = s(&r, "id");
            if s(&r, "kind") == "rent" && !voided.contains(&id) {
                *covered
                    .entry((s(&r, "lease_id"), s(&r, "rent_month")))
                    .or_insert(0) += i(&r, "amount_ore");
            }
            if s(&r, "kind") == "arrears" {
                arrears_acts.push((s(&r, "lease_id"), s(&r, "payout_date")));
            }
            payouts.push((
                s(&r, "kind"),
                i(&r, "amount_ore"),
                s(&r, "payout_date"),
                reversed.contains(&id),
            ));
        }
        for r in rows(
            pool,
            "SELECT household_id, lease_id, rent_month, kind, amount_ore, paid_date FROM rent_receipts",
        )
        .await
        {
            if !mine(&s(&r, "household_id")) {
                continue;
            }
            if s(&r, "kind") == "rent" {
                *covered
                    .entry((s(&r, "lease_id"), s(&r, "rent_month")))
                    .or_insert(0) += i(&r, "amount_ore");
            } else {
                arrears_acts.push((s(&r, "lease_id"), s(&r, "paid_date")));
            }
        }
        let notices = rows(
            pool,
            "SELECT id, lease_id, household_id, served_on, deadline, resolution, resolved_on FROM eviction_notices",
        )
        .await
        .iter()
        .filter(|r| mine(&s(r, "household_id")))
        .map(|r| {
            (
                s(r, "id"),
                s(r, "lease_id"),
                s(r, "household_id"),
                s(r, "served_on"),
                s(r, "deadline"),
                o(r, "resolution"),
                o(r, "resolved_on"),
            )
        })
        .collect();
        let plans = rows(
            pool,
            "SELECT id, lease_id, household_id, arrears_ore, start_month, months, broken_after, created_at FROM rent_plans",
        )
        .await
        .iter()
        .filter(|r| mine(&s(r, "household_id")))
        .map(|r| {
            (
                s(r, "id"),
                s(r, "lease_id"),
                i(r, "arrears_ore"),
                s(r, "start_month"),
                i(r, "months"),
                i(r, "broken_after"),
                s(r, "created_at")[..10].to_owned(),
            )
        })
        .collect();
        let mut plan_payments: HashMap<String, Vec<(NaiveDate, i64)>> = HashMap::new();
        for r in rows(
            pool,
            "SELECT plan_id, paid_on, amount_ore FROM rent_plan_payments",
        )
        .await
        {
            plan_payments.entry(s(&r, "plan_id")).or_default().push((
                NaiveDate::parse_from_str(&s(&r, "paid_on"), "%Y-%m-%d").expect("a day"),
                i(&r, "amount_ore"),
            ));
        }
        let debts = rows(pool, "SELECT household_id, created_at FROM debts")
            .await
            .iter()
            .filter(|r| mine(&s(r, "household_id")))
            .map(|r| (s(r, "household_id"), s(r, "created_at")))
            .collect();
        Tables {
            households,
            children,
            leases,
            covered,
            payouts,
            arrears_acts,
            notices,
            plans,
            plan_payments,
            debts,
        }
    }

    /// The household's lease running in `month`: the newest begun by it
    /// and not ended before it.
    fn current(&self, household: &str, month: &str) -> Option<&Lease> {
        self.leases
            .iter()
            .filter(|l| l.household == household && l.start.as_str() <= month)
            .filter(|l| l.end.as_deref().is_none_or(|e| e >= month))
            .max_by(|a, b| (&a.start, &a.id).cmp(&(&b.start, &b.id)))
    }

    /// "paid", "partially_paid", "not_paid", or None (no lease, no rent).
    fn status(&self, household: &str, month: &str) -> Option<&'static str> {
        let lease = self.current(household, month)?;
        let rent = lease
            .rents
            .iter()
            .rfind(|(from, _)| from.as_str() <= month)?
            .1;
        if rent <= 0 {
            return None;
        }
        let covered = self
            .covered
            .get(&(lease.id.clone(), month.to_owned()))
            .copied()
            .unwrap_or(0);
        Some(if covered >= rent {
            "paid"
        } else if covered > 0 {
            "partially_paid"
        } else {
            "not_paid"
        })
    }

    /// Every figure of `month`, before suppression; `today` as the service's.
    pub fn figures(&self, month: YearMonth, today: NaiveDate) -> Figures {
        let mut f = Figures::new();
        let mut put = |code: &str, dim: &str, value: String, cases: i64| {
            f.insert((code.to_owned(), dim.to_owned()), (value, cases));
        };
        let count = |n: usize| (n.to_string(), n as i64);
        let m = month.to_string();
        let in_month = |d: &str| d.starts_with(&m);

        let served: Vec<_> = self.notices.iter().filter(|n| in_month(&n.3)).collect();
        let (v, c) = count(served.len());
        put("notices_received", "", v, c);
        for res in ["paid", "plan_agreed", "other", "paid_within_deadline"] {
            let n = self
                .notices
                .iter()
                .filter(|n| n.6.as_deref().is_some_and(in_month) && n.5.as_deref() == Some(res))
                .count();
            let (v, c) = count(n);
            put("notices_resolved", res, v, c);
        }
        let within = self
            .notices
            .iter()
            .filter(|n| {
                n.6.as_deref()
                    .is_some_and(|d| in_month(d) && d <= n.4.as_str())
            })
            .count();
        let (v, c) = count(within);
        put("notices_resolved_within_deadline", "", v, c);
        let mut days = Vec::new();
        for n in &served {
            let mut acts: Vec<&str> = n.6.iter().map(String::as_str).collect();
            acts.extend(
                self.plans
                    .iter()
                    .filter(|p| p.1 == n.1 && p.6 >= n.3)
                    .map(|p| p.6.as_str()),
            );
            acts.extend(
                self.arrears_acts
                    .iter()
                    .filter(|a| a.0 == n.1 && a.1 >= n.3)
                    .map(|a| a.1.as_str()),
            );
            if let Some(first) = acts.into_iter().min() {
                days.push((day(first) - day(&n.3)).num_days());
            }
        }
        let (v, c) = median(days);
        put("notice_days_to_first_action_median", "", v, c);
        let with_children: HashSet<&String> = served
            .iter()
            .filter(|n| self.children.contains(&n.2))
            .map(|n| &n.2)
            .collect();
        let (v, c) = count(with_children.len());
        put("notice_households_with_children", "", v, c);

        self.plan_figures(month, today, &mut put);

        for kind in ["rent", "arrears"] {
            let mine: Vec<_> = self
                .payouts
                .iter()
                .filter(|p| p.0 == kind && in_month(&p.2) && !p.3)
                .collect();
            let (v, c) = count(mine.len());
            put("payouts", kind, v, c);
            let sum: i64 = mine.iter().map(|p| p.1).sum();
            put(
                "payouts_sum",
                kind,
                format!("{:.2}", Decimal::new(sum, 2)),
                c,
            );
        }
        // Nothing in these tests goes to the bank.
        put("payouts_rejected_by_bank", "", "0".into(), 0);
        put("payouts_returned_by_bank", "", "0".into(), 0);

        let before = month.pred().to_string();
        let mut statuses: HashMap<&str, usize> = HashMap::new();
        let mut two = 0;
        let mut kinds: HashMap<&str, usize> = HashMap::new();
        for h in &self.households {
            if let Some(st) = self.status(h, &m) {
                *statuses.entry(st).or_default() += 1;
                if st == "not_paid" && self.status(h, &before) == Some("not_paid") {
                    two += 1;
                }
            }
            if let Some(l) = self.current(h, &m) {
                *kinds.entry(l.kind.as_str()).or_default() += 1;
            }
        }
        for st in ["paid", "partially_paid", "not_paid"] {
            let (v, c) = count(statuses.get(st).copied().unwrap_or(0));
            put("rent_status", st, v, c);
        }
        let (v, c) = count(two);
        put("two_unpaid_months", "", v, c);
        for t in TYPES {
            let (v, c) = count(kinds.get(t).copied().unwrap_or(0));
            put("households_by_contract_type", t, v, c);
        }

        let rung = |t: &str| LADDER.iter().position(|r| *r == t);
        let (mut up, mut down) = (0, 0);
        for l in self.leases.iter().filter(|l| l.start == m) {
            let previous = self
                .leases
                .iter()
                .filter(|p| p.household == l.household && (&p.start, &p.id) < (&l.start, &l.id))
                .max_by(|a, b| (&a.start, &a.id).cmp(&(&b.start, &b.id)));
            if let (Some(now), Some(then)) = (rung(&l.kind), previous.and_then(|p| rung(&p.kind))) {
                if now > then {
                    up += 1;
                } else if now < then {
                    down += 1;
                }
            }
        }
        let (v, c) = count(up);
        put("ladder_moves_up", "", v, c);
        let (v, c) = count(down);
        put("ladder_moves_down", "", v, c);

        let index = |m: &str| {
            let ym = YearMonth::parse(m).expect("a month");
            i64::from(ym.year()) * 12 + i64::from(ym.month())
        };
        for t in TYPES {
            let stays: Vec<i64> = self
                .leases
                .iter()
                .filter(|l| l.kind == t && l.start.as_str() <= m.as_str())
                .filter(|l| l.end.as_deref().is_none_or(|e| e >= m.as_str()))
                .map(|l| index(&m) - index(&l.start) + 1)
                .collect();
            let n = stays.len() as i64;
            let mean = if n == 0 {
                Decimal::ZERO
            } else {
                (Decimal::from(stays.iter().sum::<i64>()) / Decimal::from(n)).round_dp(2)
            };
            put("stay_mean_months", t, mean.normalize().to_string(), n);
            let (v, c) = median(stays);
            put("stay_median_months", t, v, c);
        }

        let until = format!("{}", month.succ().first_day());
        let debts: HashSet<&String> = self
            .debts
            .iter()
            .filter(|d| d.1.as_str() < until.as_str())
            .map(|d| &d.0)
            .collect();
        let (v, c) = count(debts.len());
        put("debt_households", "", v, c);
        // No overview or estimate is made in these tests.
        put("debt_offer_households", "", "0".into(), 0);
        put("skuldsanering_estimate_households", "", "0".into(), 0);
        f
    }

    /// Plans by the plan rules, restated: equal instalments in whole öre
    /// with the öre left over one each to the first months, each due with
    /// its month's rent; payments fill the oldest instalment first.
    fn plan_figures(
        &self,
        month: YearMonth,
        today: NaiveDate,
        put: &mut impl FnMut(&str, &str, String, i64),
    ) {
        let m = month.to_string();
        let as_of = month.last_day().min(today);
        let before = month.first_day().pred_opt().expect("a day");
        let (mut started, mut completed, mut broken) = (0, 0, 0);
        let (mut on_time, mut late, mut partly, mut missed) = (0, 0, 0, 0);
        for (id, _, arrears, start, months, broken_after, _) in &self.plans {
            if start.as_str() > m.as_str() {
                continue;
            }
            if *start == m {
                started += 1;
            }
            let start = YearMonth::parse(start).expect("a month");
            let dues: Vec<i64> = (0..*months)
                .map(|n| arrears / months + i64::from(n < arrears % months))
                .collect();
            let due_dates: Vec<NaiveDate> = (0..*months)
                .map(|n| rent_due_date(start.add_months(n as i32)))
                .collect();
            let payments = self.plan_payments.get(id).cloned().unwrap_or_default();
            let paid_by =
                |d: NaiveDate| -> i64 { payments.iter().filter(|p| p.0 <= d).map(|p| p.1).sum() };
            let cum = |n: usize| -> i64 { dues[..n].iter().sum() };
            let total = cum(dues.len());
            let is_broken = |d: NaiveDate| {
                let paid = paid_by(d);
                let missed = (0..dues.len())
                    .filter(|&n| due_dates[n] < d && paid < cum(n + 1))
                    .count() as i64;
                paid < total && missed >= *broken_after
            };
            if paid_by(as_of) >= total && paid_by(before) < total {
                completed += 1;
            }
            if is_broken(as_of) && !is_broken(before) {
                broken += 1;
            }
            #[allow(clippy::needless_range_loop)]
            for n in 0..dues.len() {
                if start.add_months(n as i32) != month {
                    continue;
                }
                let paid = paid_by(as_of);
                if paid >= cum(n + 1) {
                    if paid_by(due_dates[n]) >= cum(n + 1) {
                        on_time += 1;
                    } else {
                        late += 1;
                    }
                } else if due_dates[n] < as_of {
                    if paid > cum(n) {
                        partly += 1;
                    } else {
                        missed += 1;
                    }
                }
            }
        }
        for (code, dim, n) in [
            ("plans_started", "", started),
            ("plans_completed", "", completed),
            ("plans_broken", "", broken),
            ("instalments", "on_time", on_time),
            ("instalments", "late", late),
            ("instalments", "partly", partly),
            ("instalments", "missed", missed),
        ] {
            put(code, dim, n.to_string(), n);
        }
    }
}

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("a day")
}

/// The median as the wire writes it, and the count.
fn median(mut values: Vec<i64>) -> (String, i64) {
    values.sort();
    let n = values.len();
    let value = match n {
        0 => Decimal::ZERO,
        _ if n % 2 == 1 => Decimal::from(values[n / 2]),
        _ => Decimal::from(values[n / 2 - 1] + values[n / 2]) / Decimal::from(2),
    };
    (value.normalize().to_string(), n as i64)
}
