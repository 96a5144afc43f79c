//! A million rent checks in one `CheckRentPaidStream` beside their limit:
//! one set-based SQL query that computes the same answers (the household of
//! each personnummer, its newest lease begun by the month, the month's
//! rent, payouts net of reversals and receipts, and the status) directly in
//! the database. Runs on SQLite and on PostgreSQL, on a seeded synthetic
//! municipality (`budgetrad seed`: 200 000 households, 12 months of history).
//!
//! For each backend and each size (100 000, 250 000 and 1 000 000 checks
//! over the same seeded households) it prints the limit's time, the
//! stream's time and checks per second, their ratio (target ≤ 1.5 at every
//! size), and the server's peak resident memory (VmHWM of the server
//! process, started afresh for each stream; target ≤ 200 MB and flat).
//! Beside them, the floor the design sets: the same checks' audit rows
//! written alone (one a check, a statement and a commit a chunk of 1 000,
//! as the stream writes them, after the stream), and the stream's time over
//! the limit's and that together. Every streamed answer is compared with
//! the limit's, by correlation id: a difference fails the benchmark.
//!
//! `cargo bench --bench rent_check_throughput`. Options by environment:
//! BENCH_BACKENDS (`sqlite,postgres`), BENCH_HOUSEHOLDS (200000),
//! BENCH_CHECKS (the sizes, comma-separated: `100000,250000,1000000`),
//! BENCH_POSTGRES_URL (else
//! BUDGETRAD_TEST_POSTGRES_URL, else `postgres://postgres@127.0.0.1:5432/postgres`;
//! the bench creates its own UUID-named database there and drops it).

#[path = "common.rs"]
mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use budgetrad::domain::calendar::YearMonth;
use budgetrad::grpc::auth::Role;
use budgetrad::pb;

use common::{Server, env_or, on_backends, rent_check_item};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, AssertSqlSafe, Row};
use tokio_stream::StreamExt;

const SECRET: &str = "bench-secret";
/// Months of history `common::seed` writes; the checks go back through
/// them from the last (five a household: 200 000 households, a million
/// checks).
const MONTHS_SEEDED: u32 = 12;
/// Rows of the checks table to one insert statement (3 values a row,
/// under SQLite's 32 766 parameters).
const ROWS_PER_INSERT: usize = 5000;

/// One check's answer, as the limit and the stream both give it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    status: &'static str,
    household: String,
    lease: String,
    rent_ore: i64,
    payouts_ore: i64,
    receipts_ore: i64,
}

/// The answer's columns and status, from a row source `y` with the sums.
macro_rules! answer_columns {
    () => {
        "SELECT y.seq, y.household_id, y.lease_id, y.rent_ore, y.paid_out, y.received, \
  CASE WHEN y.household_id IS NULL THEN 'UNKNOWN_SUBJECT' \
       WHEN y.lease_id IS NULL THEN 'NO_LEASE' \
       WHEN y.paid_out + y.received >= y.rent_ore THEN 'PAID' \
       WHEN y.paid_out + y.received > 0 THEN 'PARTIALLY_PAID' \
       ELSE 'NOT_PAID' END AS status "
    };
}

/// The set-based query: every check of `bench_checks` answered in one
/// statement, in the order asked. The same SQL runs on both databases.
const LIMIT_QUERY: &str = concat!(
    answer_columns!(),
    "\
FROM ( \
  SELECT x.seq, x.household_id, x.lease_id, \
    CAST(COALESCE((SELECT r.rent_ore FROM lease_rents r \
      WHERE r.lease_id = x.lease_id AND r.from_month <= x.rent_month \
      ORDER BY r.from_month DESC LIMIT 1), 0) AS BIGINT) AS rent_ore, \
    CAST((SELECT COALESCE(SUM(p.amount_ore), 0) FROM rent_payouts p \
      WHERE p.lease_id = x.lease_id AND p.rent_month = x.rent_month AND p.kind = 'rent' \
      AND NOT EXISTS (SELECT 1 FROM rent_payout_reversals v WHERE v.payout_id = p.id)) AS BIGINT) AS paid_out, \
    CAST((SELECT COALESCE(SUM(t.amount_ore), 0) FROM rent_receipts t \
      WHERE t.lease_id = x.lease_id AND t.rent_month = x.rent_month AND t.kind = 'rent') AS BIGINT) AS received \
  FROM ( \
    SELECT c.seq, c.rent_month, m.household_id, \
      (SELECT l.id FROM leases l JOIN lease_rents s ON s.lease_id = l.id \
        WHERE l.household_id = m.household_id \
        GROUP BY l.id HAVING MIN(s.from_month) <= c.rent_month \
        ORDER BY MIN(s.from_month) DESC, l.id DESC LIMIT 1) AS lease_id \
    FROM bench_checks c LEFT JOIN household_members m ON m.personal_identity_number = c.pin \
  ) x \
) y ORDER BY y.seq"
);

/// The same answers by joins and aggregates instead of correlated
/// subqueries: hash joins suit PostgreSQL, index lookups suit SQLite, so
/// the limit is the faster of the two on each backend.
const LIMIT_QUERY_JOINED: &str = concat!(
    "\
WITH starts AS ( \
  SELECT l.id AS lease_id, l.household_id, MIN(r.from_month) AS start \
  FROM leases l JOIN lease_rents r ON r.lease_id = l.id GROUP BY l.id, l.household_id), \
chosen AS ( \
  SELECT c.seq, c.rent_month, m.household_id, s.lease_id, \
    ROW_NUMBER() OVER (PARTITION BY c.seq ORDER BY s.start DESC, s.lease_id DESC) AS n \
  FROM bench_checks c LEFT JOIN household_members m ON m.personal_identity_number = c.pin \
  LEFT JOIN starts s ON s.household_id = m.household_id AND s.start <= c.rent_month), \
x AS (SELECT seq, rent_month, household_id, lease_id FROM chosen WHERE n = 1), \
rents AS ( \
  SELECT x.seq, r.rent_ore, ROW_NUMBER() OVER (PARTITION BY x.seq ORDER BY r.from_month DESC) AS n \
  FROM x JOIN lease_rents r ON r.lease_id = x.lease_id AND r.from_month <= x.rent_month), \
months AS (SELECT DISTINCT rent_month FROM bench_checks), \
paid AS ( \
  SELECT p.lease_id, p.rent_month, SUM(p.amount_ore) AS amount FROM rent_payouts p \
  WHERE p.kind = 'rent' AND p.rent_month IN (SELECT rent_month FROM months) \
  AND NOT EXISTS (SELECT 1 FROM rent_payout_reversals v WHERE v.payout_id = p.id) \
  GROUP BY p.lease_id, p.rent_month), \
received AS ( \
  SELECT t.lease_id, t.rent_month, SUM(t.amount_ore) AS amount FROM rent_receipts t \
  WHERE t.kind = 'rent' AND t.rent_month IN (SELECT rent_month FROM months) \
  GROUP BY t.lease_id, t.rent_month), \
y AS ( \
  SELECT x.seq, x.household_id, x.lease_id, \
    CAST(COALESCE(rents.rent_ore, 0) AS BIGINT) AS rent_ore, \
    CAST(COALESCE(paid.amount, 0) AS BIGINT) AS paid_out, \
    CAST(COALESCE(received.amount, 0) AS BIGINT) AS received \
  FROM x LEFT JOIN rents ON rents.seq = x.seq AND rents.n = 1 \
  LEFT JOIN paid ON paid.lease_id = x.lease_id AND paid.rent_month = x.rent_month \
  LEFT JOIN received ON received.lease_id = x.lease_id AND received.rent_month = x.rent_month) \
",
    answer_columns!(),
    "FROM y ORDER BY y.seq"
);

fn ore(money: Option<&pb::Money>) -> anyhow::Result<i64> {
    let Some(money) = money else { return Ok(0) };
    let amount: Decimal = money.amount.parse().context("a money amount")?;
    (amount * Decimal::from(100))
        .to_i64()
        .context("öre in range")
}

/// The checks: item `i` asks about person `i % people` in month
/// `i / people` counted back from the last seeded month.
struct Checks {
    people: Vec<String>,
    months: Vec<String>,
}

impl Checks {
    fn item(&self, i: usize) -> (String, String) {
        let n = self.people.len();
        (
            self.people[i % n].clone(),
            self.months[(i / n) % self.months.len()].clone(),
        )
    }
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    sqlx::any::install_default_drivers();
    let backends = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let dir = tempfile::tempdir()?;
    common::write_token_file(
        dir.path(),
        vec![common::bench_token("bench", SECRET, vec![Role::RentCheck])],
    )?;
    let reports: Vec<Report> = on_backends(&runtime, &backends, dir.path(), run)?
        .into_iter()
        .flatten()
        .collect();
    println!();
    println!(
        "backend     checks     limit s  stream s  checks/s  ratio  server peak MiB  audit s  floor ratio"
    );
    for r in &reports {
        println!("{r}");
    }
    println!(
        "targets: ratio ≤ 1.5 (stream time / limit time) at every size; peak ≤ 200 MiB and flat"
    );
    println!(
        "floor: the limit plus the audit rows alone (one a check, committed a chunk of {AUDIT_CHUNK} \
         at a time, as every read of a household's data must leave); floor ratio = stream / \
         (limit + audit)"
    );
    Ok(())
}

struct Report {
    backend: &'static str,
    checks: usize,
    limit: Duration,
    stream: Duration,
    peak: f64,
    audit: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let stream = self.stream.as_secs_f64();
        write!(
            f,
            "{:<10} {:>7} {:>10.2} {:>9.2} {:>9.0} {:>6.2}  {:>15.1}  {:>7.2}  {:>11.2}",
            self.backend,
            self.checks,
            self.limit.as_secs_f64(),
            stream,
            self.checks as f64 / stream,
            stream / self.limit.as_secs_f64(),
            self.peak,
            self.audit.as_secs_f64(),
            stream / (self.limit + self.audit).as_secs_f64(),
        )
    }
}

/// The sizes measured: BENCH_CHECKS, comma-separated.
fn sizes() -> anyhow::Result<Vec<usize>> {
    let text = std::env::var("BENCH_CHECKS").unwrap_or_else(|_| "100000,250000,1000000".to_owned());
    let mut sizes = text
        .split(',')
        .map(|s| s.trim().parse::<usize>().context("BENCH_CHECKS: numbers"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    sizes.sort_unstable();
    ensure!(
        sizes.first().is_some_and(|&n| n > 0),
        "BENCH_CHECKS: no size"
    );
    Ok(sizes)
}

async fn run(backend: &'static str, url: &str, dir: &Path) -> anyhow::Result<Vec<Report>> {
    let households = u32::try_from(env_or("BENCH_HOUSEHOLDS", 200_000))?;
    let sizes = sizes()?;
    let most = sizes.last().copied().unwrap_or_default();
    let last_month = YearMonth::parse("2026-10").context("a month")?;

    eprintln!("{backend}: seeding {households} households with {MONTHS_SEEDED} months…");
    let started = Instant::now();
    common::seed(url, households, last_month).await?;
    eprintln!(
        "{backend}: seeded in {:.0} s",
        started.elapsed().as_secs_f64()
    );

    let pool = AnyPoolOptions::new()
        .max_connections(2)
        .connect(url)
        .await?;
    let people: Vec<String> = sqlx::query(
        "SELECT personal_identity_number FROM household_members \
         WHERE personal_identity_number IS NOT NULL ORDER BY personal_identity_number",
    )
    .fetch_all(&pool)
    .await?
    .iter()
    .map(|row| row.try_get::<String, _>(0))
    .collect::<Result<_, _>>()?;
    let per_person = most.div_ceil(people.len().max(1)).max(1);
    let months: Vec<String> = (0..per_person)
        .map(|back| last_month.add_months(-((back as u32 % MONTHS_SEEDED) as i32)))
        .map(|m| m.to_string())
        .collect();
    let plan = Arc::new(Checks { people, months });
    load_checks(&pool, &plan, most).await?;

    let mut reports = Vec::new();
    let mut chosen = None;
    for checks in sizes {
        let (limit, which, expected) = limit_answers(&pool, checks, chosen).await?;
        chosen = Some(which);
        let server = Server::start(url, dir).await?;
        let started = Instant::now();
        stream_checks(&server, &plan, &expected, checks).await?;
        let stream = started.elapsed();
        let peak = server.peak_mib()?;
        drop(server);
        // After the stream, so that the stream finds the audit trail as
        // the runs before this change did.
        let audit = audit_alone(&pool, checks).await?;
        eprintln!(
            "{backend}: {checks} checks streamed in {:.2} s (limit {:.2} s), server peak {peak:.1} MiB",
            stream.as_secs_f64(),
            limit.as_secs_f64()
        );
        reports.push(Report {
            backend,
            checks,
            limit,
            stream,
            peak,
            audit,
        });
    }
    pool.close().await;
    Ok(reports)
}

/// The stream's chunk: one statement and one commit a chunk.
const AUDIT_CHUNK: usize = budgetrad::grpc::rent_check_service::CHUNK;

/// Writes the audit rows of `bench_checks` alone, as the stream's chunks
/// do (one row a check naming the household of its personnummer, a chunk
/// of [`AUDIT_CHUNK`] a statement, each committed), and times it: what the
/// design adds to the limit's read.
async fn audit_alone(pool: &AnyPool, checks: usize) -> anyhow::Result<Duration> {
    let at = chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    let started = Instant::now();
    for from in (0..checks).step_by(AUDIT_CHUNK) {
        sqlx::query(
            "INSERT INTO audit_events (occurred_at, caller, role, method, household_id, outcome) \
             SELECT $1, 'bench-audit-alone', 'rent_check', \
               '/budgetrad.v1.RentCheckService/CheckRentPaidStream', m.household_id, 'OK' \
             FROM bench_checks c LEFT JOIN household_members m \
               ON m.personal_identity_number = c.pin \
             WHERE c.seq >= $2 AND c.seq < $3",
        )
        .bind(at.clone())
        .bind(from as i64)
        .bind((from + AUDIT_CHUNK) as i64)
        .execute(pool)
        .await?;
    }
    Ok(started.elapsed())
}

/// Loads the first `checks` checks into `bench_all`, from which each size
/// takes its first rows.
async fn load_checks(pool: &AnyPool, plan: &Checks, checks: usize) -> anyhow::Result<()> {
    sqlx::query("CREATE TABLE bench_all (seq BIGINT PRIMARY KEY, pin TEXT NOT NULL, rent_month TEXT NOT NULL)")
        .execute(pool)
        .await?;
    let mut tx = pool.begin().await?;
    let rows: Vec<usize> = (0..checks).collect();
    for part in rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..part.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO bench_all (seq, pin, rent_month) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for &i in part {
            let (pin, month) = plan.item(i);
            query = query.bind(i as i64).bind(pin).bind(month);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Makes `bench_checks` the first `checks` checks and times the limit
/// query (the best of its runs, so both it and the stream find a warm
/// cache): both formulations, or the one `chosen` at a smaller size.
/// Returns the time, the formulation and the answers.
async fn limit_answers(
    pool: &AnyPool,
    checks: usize,
    chosen: Option<usize>,
) -> anyhow::Result<(Duration, usize, Vec<Answer>)> {
    sqlx::query("DROP TABLE IF EXISTS bench_checks")
        .execute(pool)
        .await?;
    sqlx::query("CREATE TABLE bench_checks (seq BIGINT PRIMARY KEY, pin TEXT NOT NULL, rent_month TEXT NOT NULL)")
        .execute(pool)
        .await?;
    sqlx::query("INSERT INTO bench_checks (seq, pin, rent_month) SELECT seq, pin, rent_month FROM bench_all WHERE seq < $1")
        .bind(checks as i64)
        .execute(pool)
        .await?;
    sqlx::query("ANALYZE").execute(pool).await?;

    // Each formulation once, then the faster one again (on a warm cache);
    // the best time counts. At the larger sizes only the formulation that
    // was faster at the first, twice.
    let formulations = [("correlated", LIMIT_QUERY), ("joined", LIMIT_QUERY_JOINED)];
    let runs: Vec<Option<usize>> = match chosen {
        Some(which) => vec![Some(which), Some(which)],
        None => vec![Some(0), Some(1), None],
    };
    let mut best: Option<(Duration, usize, Vec<Answer>)> = None;
    for run in runs {
        let which = match (run, &best) {
            (Some(which), _) => which,
            (None, Some((_, fastest, _))) => *fastest,
            (None, None) => 0,
        };
        let (name, sql) = formulations[which];
        let started = Instant::now();
        let answers = limit_run(pool, sql, checks).await?;
        let time = started.elapsed();
        eprintln!("limit ({name}): {:.2} s", time.as_secs_f64());
        if let Some((_, _, first)) = &best {
            ensure!(
                *first == answers,
                "the two formulations of the limit disagree"
            );
        }
        if best.as_ref().is_none_or(|(t, _, _)| time < *t) {
            best = Some((time, which, answers));
        }
    }
    let (time, which, answers) = best.context("a limit run")?;
    let name = formulations[which].0;
    eprintln!("limit: the {name} query");
    ensure!(
        answers.len() == checks,
        "the limit answered {} checks",
        answers.len()
    );
    let mut by_status: HashMap<&str, usize> = HashMap::new();
    for a in &answers {
        *by_status.entry(a.status).or_default() += 1;
    }
    eprintln!(
        "limit: {checks} checks in {:.2} s: {by_status:?}",
        time.as_secs_f64()
    );
    Ok((time, which, answers))
}

/// Runs one formulation of the limit, reading every answer.
async fn limit_run(
    pool: &AnyPool,
    sql: &'static str,
    checks: usize,
) -> anyhow::Result<Vec<Answer>> {
    let mut answers = Vec::with_capacity(checks);
    let mut rows = sqlx::query(sql).fetch(pool);
    while let Some(row) = rows.next().await {
        let row = row?;
        answers.push(Answer {
            status: match row.try_get::<String, _>("status")?.as_str() {
                "UNKNOWN_SUBJECT" => "UNKNOWN_SUBJECT",
                "NO_LEASE" => "NO_LEASE",
                "PAID" => "PAID",
                "PARTIALLY_PAID" => "PARTIALLY_PAID",
                _ => "NOT_PAID",
            },
            household: row
                .try_get::<Option<String>, _>("household_id")?
                .unwrap_or_default(),
            lease: row
                .try_get::<Option<String>, _>("lease_id")?
                .unwrap_or_default(),
            rent_ore: row.try_get("rent_ore")?,
            payouts_ore: row.try_get("paid_out")?,
            receipts_ore: row.try_get("received")?,
        });
    }
    Ok(answers)
}

/// Streams the first `count` checks and compares every answer with the
/// limit's.
async fn stream_checks(
    server: &Server,
    plan: &Arc<Checks>,
    expected: &[Answer],
    count: usize,
) -> anyhow::Result<()> {
    let mut client =
        pb::rent_check_service_client::RentCheckServiceClient::new(server.channel().await?)
            .max_decoding_message_size(1 << 20);
    let plan = plan.clone();
    let requests = tokio_stream::iter(0..count).map(move |i| {
        let (pin, month) = plan.item(i);
        rent_check_item(i, pin, month)
    });
    let mut request = tonic::Request::new(requests);
    request
        .metadata_mut()
        .insert("authorization", format!("Bearer {SECRET}").parse()?);
    let mut responses = client.check_rent_paid_stream(request).await?.into_inner();
    let mut answered = 0;
    while let Some(response) = responses.message().await? {
        let seq: usize = response.correlation_id.parse()?;
        ensure!(seq == answered, "answer {answered} came as {seq}");
        let result = match response.outcome {
            Some(pb::check_rent_paid_stream_response::Outcome::Result(r)) => r,
            other => bail!("check {seq}: {other:?}"),
        };
        let status = pb::RentCheckStatus::try_from(result.status)
            .map(|s| s.as_str_name())
            .unwrap_or("?");
        let status = status.strip_prefix("RENT_CHECK_STATUS_").unwrap_or(status);
        let got = Answer {
            status: expected[seq].status,
            household: result.household_id.clone(),
            lease: result.lease_id.clone(),
            rent_ore: ore(result.rent_due.as_ref())?,
            payouts_ore: ore(result.paid_by_payouts.as_ref())?,
            receipts_ore: ore(result.paid_by_receipts.as_ref())?,
        };
        let want = &expected[seq];
        ensure!(
            status == want.status && got == *want,
            "check {seq}: the stream said {status} {got:?}, the limit {want:?}"
        );
        answered += 1;
    }
    ensure!(answered == count, "{answered} of {count} checks answered");
    Ok(())
}
