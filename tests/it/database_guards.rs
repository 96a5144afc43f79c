//! The database refuses what the API refuses, past the API: on SQLite,
//! `INSERT OR REPLACE`, `REPLACE INTO` and UPSERT cannot rewrite a row of
//! the append-only tables; on PostgreSQL, the role the server serves with
//! (granted by the shipped docs/postgres-app-role.sql) can read and append
//! but cannot UPDATE, DELETE, TRUNCATE, ALTER, DROP or switch off a trigger.
//! Each attempt must fail and leave every row as it was.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, Connection, Executor, Row};

use budgetrad::domain::payment::pain001::Pain001Version;
use budgetrad::pb;
use budgetrad::store::Backend;

use crate::helpers::*;
use crate::leases::{amount, household, landlord, lease, months, plan, terms};

/// The append-only tables, each with a column an attacker would rewrite and
/// a value for it.
const APPEND_ONLY: [(&str, &str, &str); 14] = [
    ("rent_payouts", "amount_ore", "1"),
    ("rent_payout_reversals", "reason", "'rewritten'"),
    ("rent_receipts", "amount_ore", "1"),
    ("audit_events", "caller", "'mallory'"),
    ("debt_events", "change_ore", "1"),
    ("rent_plan_payments", "amount_ore", "1"),
    ("ledger_chain", "hash", "'0'"),
    ("audit_chain", "hash", "'0'"),
    ("household_unit_changes", "new_unit", "'x'"),
    ("payment_batches", "total_ore", "1"),
    ("payment_batch_payouts", "round", "99"),
    ("payment_batch_events", "recorded_by", "'mallory'"),
    ("payout_bank_states", "reason_code", "'AC04'"),
    ("payment_status_files", "file_sha256", "'0'"),
];

/// A table's key, for ON CONFLICT.
fn key_of(table: &str) -> &'static str {
    match table {
        "audit_events" | "audit_chain" => "sequence",
        "ledger_chain" => "lease_id, seq",
        "payment_batch_payouts" => "batch_id, position",
        "payout_bank_states" => "payout_id, batch_id, state",
        "payment_status_files" => "kind, message_id",
        _ => "id",
    }
}

/// What a test wrote through the API, to read back afterwards.
pub(crate) struct Written {
    pub(crate) payout_id: String,
    pub(crate) receipt_lease: String,
}

/// One row (at least) in each append-only table, through the API: a
/// payout, its reversal, a receipt, a plan with a payment, a debt (its
/// opening event), and their audit records. The payment tables' rows come
/// from `payments::batch_through_the_api`.
pub(crate) async fn write_through_the_api(app: &TestApp, serial: u32) -> Written {
    let mut rent = app.rent();
    let l = landlord(&mut rent).await;
    let h = household(app, serial).await;
    let lease = lease(&mut rent, &h, &l.id).await;
    let mut payouts = app.payouts();
    let paid = payouts
        .record_rent_payout(pb::RecordRentPayoutRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            lease_id: lease.id.clone(),
            rent_month: "2026-10".into(),
            kind: pb::RentPaymentKind::Rent as i32,
            amount: money("7900"),
            decision_reference: "BESLUT-2026-00417".into(),
            ocr_reference: "1234574".into(),
            payout_date: "2026-11-20".into(),
        })
        .await
        .expect("a payout")
        .into_inner()
        .payout
        .expect("a payout");
    payouts
        .reverse_rent_payout(pb::ReverseRentPayoutRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            payout_id: paid.id.clone(),
            reason: "betalt till fel månad".into(),
        })
        .await
        .expect("reversed");
    payouts
        .record_rent_receipt(pb::RecordRentReceiptRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            lease_id: lease.id.clone(),
            rent_month: "2026-11".into(),
            kind: pb::RentPaymentKind::Rent as i32,
            amount: money("7900"),
            paid_date: "2026-11-21".into(),
            source: pb::ReceiptSource::ClientReceipt as i32,
        })
        .await
        .expect("a receipt");
    let plan = plan(&mut rent, &lease.id, terms("4000", "2026-09", months(4)), 4).await;
    rent.record_plan_payment(pb::RecordPlanPaymentRequest {
        request_id: uuid::Uuid::new_v4().to_string(),
        plan_id: plan.id,
        date: "2026-11-20".into(),
        amount: money("1000"),
    })
    .await
    .expect("a plan payment");
    let member = app
        .households()
        .get_household(pb::GetHouseholdRequest { id: h.clone() })
        .await
        .expect("the household")
        .into_inner()
        .household
        .expect("a household")
        .members[0]
        .id
        .clone();
    app.debts()
        .create_debt(pb::CreateDebtRequest {
            request_id: uuid::Uuid::new_v4().to_string(),
            debt: Some(pb::Debt {
                household_id: h.clone(),
                debtor_member_id: member,
                creditor_name: "Exempel Inkasso AB".into(),
                creditor_organisation_number: "556677-8899".into(),
                creditor_reference: "F-1001".into(),
                kind: pb::DebtKind::Other as i32,
                status: pb::DebtStatus::Active as i32,
                balance: money("5000"),
                annual_interest_rate: "12".into(),
                monthly_fee: money("25"),
                agreed_monthly_payment: money("500"),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .expect("a debt");
    // A move to another unit and back: two rows of its moves.
    for unit in ["ifo-flytt", "ifo"] {
        app.households_as(Some(&secret_for(budgetrad::grpc::auth::Role::Admin)))
            .set_household_unit(pb::SetHouseholdUnitRequest {
                household_id: h.clone(),
                unit: unit.into(),
            })
            .await
            .expect("moved");
    }
    Written {
        payout_id: paid.id,
        receipt_lease: lease.id,
    }
}

/// The payout and the receipt, read back through the API.
async fn read_back(app: &TestApp, written: &Written) -> (String, bool, Vec<String>) {
    let mut payouts = app.payouts();
    let payout = payouts
        .get_rent_payout(pb::GetRentPayoutRequest {
            id: written.payout_id.clone(),
        })
        .await
        .expect("the payout")
        .into_inner()
        .payout
        .expect("a payout");
    let receipts = payouts
        .list_rent_receipts(pb::ListRentReceiptsRequest {
            lease_id: written.receipt_lease.clone(),
            ..Default::default()
        })
        .await
        .expect("the receipts")
        .into_inner()
        .receipts
        .iter()
        .map(|r| amount(&r.amount).to_owned())
        .collect();
    (
        amount(&payout.amount).to_owned(),
        payout.reversal.is_some(),
        receipts,
    )
}

async fn columns(pool: &AnyPool, backend: Backend, table: &str) -> Vec<String> {
    let sql = match backend {
        Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
        Backend::Postgres => format!(
            "SELECT column_name::text AS name FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name = '{table}' ORDER BY ordinal_position"
        ),
    };
    sqlx::query(AssertSqlSafe(sql))
        .fetch_all(pool)
        .await
        .expect("the columns")
        .iter()
        .map(|r| r.get::<String, _>("name"))
        .collect()
}

/// Every row of `table`, every column, as one text.
async fn snapshot(pool: &AnyPool, backend: Backend, table: &str) -> String {
    let sql = match backend {
        Backend::Sqlite => {
            let cols = columns(pool, backend, table).await;
            let row = cols
                .iter()
                .map(|c| format!("quote({c})"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            format!(
                "SELECT COALESCE(group_concat(x, ';'), '') AS s FROM \
                 (SELECT {row} AS x FROM {table} ORDER BY 1)"
            )
        }
        Backend::Postgres => format!(
            "SELECT COALESCE(string_agg(t::text, ';' ORDER BY t::text), '') AS s FROM {table} t"
        ),
    };
    let text: String = sqlx::query(AssertSqlSafe(sql))
        .fetch_one(pool)
        .await
        .expect("a snapshot")
        .get("s");
    assert!(!text.is_empty(), "{table} holds no row to protect");
    text
}

async fn attempt(pool: &AnyPool, sql: String) -> Result<u64, sqlx::Error> {
    sqlx::query(AssertSqlSafe(sql))
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}

#[tokio::test]
async fn replace_and_upsert_cannot_rewrite_append_only_rows_on_sqlite() {
    let app = TestApp::builder(Backend::Sqlite)
        .payments(crate::payments::bank(Pain001Version::V09))
        .spawn()
        .await;
    let written = write_through_the_api(&app, 701).await;
    crate::payments::batch_through_the_api(&app, 701).await;
    // The audit chain's links, which a seal writes.
    budgetrad::store::ChainStore::seal_audit(app.store())
        .await
        .expect("a seal");
    let before_api = read_back(&app, &written).await;
    assert_eq!(before_api, ("7900.00".into(), true, vec!["7900.00".into()]));
    let pool = app.store().pool();
    for (table, target, value) in APPEND_ONLY {
        let before = snapshot(pool, Backend::Sqlite, table).await;
        let cols = columns(pool, Backend::Sqlite, table).await;
        let key = key_of(table);
        let list = cols.join(", ");
        let rewritten = |swap: &dyn Fn(&str) -> Option<String>| {
            cols.iter()
                .map(|c| swap(c).unwrap_or_else(|| c.clone()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let changed = rewritten(&|c| (c == target).then(|| value.to_owned()));
        let mut forms = vec![
            format!("INSERT OR REPLACE INTO {table} ({list}) SELECT {changed} FROM {table}"),
            format!("REPLACE INTO {table} ({list}) SELECT {changed} FROM {table}"),
            format!(
                "INSERT INTO {table} ({list}) SELECT {changed} FROM {table} WHERE true \
                 ON CONFLICT ({key}) DO UPDATE SET {target} = excluded.{target}"
            ),
            format!(
                "INSERT INTO {table} ({list}) SELECT {changed} FROM {table} WHERE true \
                 ON CONFLICT DO UPDATE SET {target} = excluded.{target}"
            ),
        ];
        // A fresh key with the old request_id: REPLACE would delete the
        // first row through the request_id's unique index.
        if cols.iter().any(|c| c == "request_id") {
            let fresh = rewritten(&|c| match c {
                "id" => Some("id || '-x'".to_owned()),
                c if c == target => Some(value.to_owned()),
                _ => None,
            });
            forms.push(format!(
                "INSERT OR REPLACE INTO {table} ({list}) SELECT {fresh} FROM {table}"
            ));
        }
        for sql in forms {
            let result = attempt(pool, sql.clone()).await;
            assert!(result.is_err(), "allowed: {sql}: {result:?}");
            assert_eq!(
                snapshot(pool, Backend::Sqlite, table).await,
                before,
                "changed by {sql}"
            );
        }
    }
    assert_eq!(read_back(&app, &written).await, before_api);
}

/// A role of one test, dropped at the end even when the test fails (after
/// the test's database, which holds its grants: declare it first).
struct PgRole {
    admin_url: String,
    name: String,
}

impl Drop for PgRole {
    fn drop(&mut self) {
        cleanup_as_admin(
            &self.admin_url,
            format!("DROP ROLE IF EXISTS \"{}\"", self.name),
        );
    }
}

/// `url` with its user (and password) replaced by `user`.
fn as_user(url: &str, user: &str) -> String {
    let rest = url.strip_prefix("postgres://").expect("a postgres:// URL");
    let host = match rest.split_once('@') {
        Some((_, host)) => host,
        None => rest,
    };
    format!("postgres://{user}@{host}")
}

/// The shipped grants file with the psql variable replaced, as psql would.
fn grants_for(role: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/postgres-app-role.sql");
    std::fs::read_to_string(path)
        .expect("docs/postgres-app-role.sql")
        .replace(":\"app_role\"", &format!("\"{role}\""))
        .replace(":'app_role'", &format!("'{role}'"))
}

#[tokio::test]
async fn the_serving_role_can_only_read_and_append_on_postgres() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    let admin_url = std::env::var(POSTGRES_ENV).expect("the PostgreSQL URL");
    let role = format!("budgetrad_app_{}", uuid::Uuid::new_v4().simple());
    let mut admin = AnyConnection::connect(&admin_url).await.expect("admin");
    admin
        .execute(AssertSqlSafe(format!("CREATE ROLE \"{role}\" LOGIN")))
        .await
        .expect("CREATE ROLE");
    let _role = PgRole {
        admin_url: admin_url.clone(),
        name: role.clone(),
    };
    let db = TestDatabase::create(Backend::Postgres).await;
    // Migrate as the owner, then grant as the owner, as the README says.
    let mut owner = AnyConnection::connect(&db.url).await.expect("the owner");
    drop(
        budgetrad::store::SqlStore::connect(&db.url)
            .await
            .expect("migrated"),
    );
    owner
        .execute(AssertSqlSafe(grants_for(&role)))
        .await
        .expect("the grants file applies");
    let name = db
        .postgres_name()
        .expect("a PostgreSQL database")
        .to_owned();
    let app_url = as_user(&admin_url, &role);
    let app_url = format!("{}/{name}", &app_url[..app_url.rfind('/').expect("a path")]);
    let app = TestApp::builder(Backend::Postgres)
        .database(db)
        .serving_url(app_url)
        .payments(crate::payments::bank(Pain001Version::V09))
        .spawn()
        .await;

    // The server works as that role.
    let written = write_through_the_api(&app, 702).await;
    crate::payments::batch_through_the_api(&app, 702).await;
    // The serving role seals the audit chain (through the owner's barrier
    // function, the one lock it may take).
    budgetrad::store::ChainStore::seal_audit(app.store())
        .await
        .expect("the serving role seals");
    let before_api = read_back(&app, &written).await;
    assert_eq!(before_api, ("7900.00".into(), true, vec!["7900.00".into()]));

    // And that role, connected straight, can change nothing.
    let pool = app.store().pool();
    let who: String = sqlx::query("SELECT current_user::text AS u")
        .fetch_one(pool)
        .await
        .expect("who")
        .get("u");
    assert_eq!(who, role);
    let functions = [
        "rent_ledger_append_only",
        "audit_events_append_only",
        "debt_events_append_only",
        "rent_plan_payments_append_only",
        "household_unit_changes_append_only",
        "payment_append_only",
    ];
    for (table, target, value) in APPEND_ONLY {
        let before = snapshot(pool, Backend::Postgres, table).await;
        let key = key_of(table);
        let mut forms = vec![
            format!("UPDATE {table} SET {target} = {value}"),
            format!("DELETE FROM {table}"),
            format!("TRUNCATE {table} CASCADE"),
            format!("ALTER TABLE {table} DISABLE TRIGGER ALL"),
            format!("ALTER TABLE {table} DISABLE TRIGGER {table}_no_change"),
            format!("DROP TRIGGER {table}_no_change ON {table}"),
            format!("DROP TRIGGER {table}_no_truncate ON {table}"),
            format!("ALTER TABLE {table} OWNER TO CURRENT_USER"),
            format!("DROP TABLE {table} CASCADE"),
            format!(
                "INSERT INTO {table} OVERRIDING SYSTEM VALUE SELECT * FROM {table} \
                 ON CONFLICT ({key}) DO UPDATE SET {target} = {value}"
            ),
        ];
        forms.extend(functions.iter().map(|f| {
            format!("CREATE OR REPLACE FUNCTION {f}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")
        }));
        forms.push("SET session_replication_role = replica".to_owned());
        for sql in forms {
            let result = attempt(pool, sql.clone()).await;
            let message = match &result {
                Ok(n) => panic!("allowed: {sql}: {n} rows"),
                Err(e) => e.to_string(),
            };
            assert!(
                message.contains("permission denied") || message.contains("must be owner"),
                "{sql}: {message}"
            );
            assert_eq!(
                snapshot(pool, Backend::Postgres, table).await,
                before,
                "changed by {sql}"
            );
        }
    }
    assert_eq!(read_back(&app, &written).await, before_api);
    drop(owner);
    drop(admin);
}

/// The grants file against the store's SQL: every table the store UPDATEs,
/// DELETEs from or locks FOR UPDATE has that right in the file, and no
/// append-only table has UPDATE or DELETE.
#[test]
fn the_grants_file_matches_what_the_store_writes() {
    let grants = grants_for("app");
    let mut granted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for statement in grants
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ")
        .split(';')
    {
        let statement = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(rest) = statement.strip_prefix("GRANT ") else {
            continue;
        };
        let Some((privileges, rest)) = rest.split_once(" ON ") else {
            continue;
        };
        let Some((tables, _)) = rest.split_once(" TO ") else {
            continue;
        };
        for table in tables.split(',') {
            let table = table.trim().to_owned();
            for p in privileges.split(',') {
                granted
                    .entry(table.clone())
                    .or_default()
                    .insert(p.trim().to_owned());
            }
        }
    }
    let mut needed: BTreeSet<(String, &str)> = BTreeSet::new();
    let store = concat!(env!("CARGO_MANIFEST_DIR"), "/src/store");
    let mut dirs = vec![std::path::PathBuf::from(store)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/store") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // Unit tests and the seeder (run as the owner) are not the server.
            if name == "tests.rs" || path.to_string_lossy().contains("seed") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a source file");
            let words: Vec<&str> = text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect();
            for w in words.windows(3) {
                match w {
                    ["UPDATE", table, "SET"] => needed.insert((table.to_string(), "UPDATE")),
                    ["DELETE", "FROM", table] => needed.insert((table.to_string(), "DELETE")),
                    _ => false,
                };
            }
            // A row lock (`SELECT … FROM t … FOR UPDATE`) needs UPDATE on t:
            // the table is the one named after the last FROM in the literal.
            for (at, _) in text.match_indices("FOR UPDATE") {
                let literal = &text[text[..at].rfind('"').map_or(0, |q| q + 1)..at];
                if !literal.contains('\n')
                    && let Some((_, after)) = literal.rsplit_once("FROM ")
                    && let Some(table) = after.split_whitespace().next()
                {
                    needed.insert((table.to_owned(), "UPDATE"));
                }
            }
        }
    }
    assert!(
        needed.contains(&("households".to_owned(), "UPDATE")),
        "the scan found the store's UPDATEs: {needed:?}"
    );
    for (table, privilege) in &needed {
        assert!(
            granted.get(table).is_some_and(|p| p.contains(*privilege)),
            "the store needs {privilege} on {table}: add it to docs/postgres-app-role.sql"
        );
    }
    for (table, _, _) in APPEND_ONLY {
        let p = granted.get(table).expect("granted");
        assert_eq!(
            p.iter().map(String::as_str).collect::<Vec<_>>(),
            ["INSERT", "SELECT"],
            "{table}"
        );
    }
}

/// `budgetrad migrate` creates the schema and exits, on each backend: the
/// step between creating an empty database and granting the serving role
/// its rights. Run twice, the second run finds nothing to do.
#[tokio::test]
async fn migrate_creates_the_schema_and_exits() {
    for backend in backends() {
        let db = TestDatabase::create(backend).await;
        for _ in 0..2 {
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad"))
                .args(["migrate", "--database-url", &db.url])
                .env_remove("BUDGETRAD_MIGRATE_DATABASE_URL")
                .output()
                .expect("the server binary runs");
            assert!(output.status.success(), "{backend:?}: {output:?}");
            assert_eq!(
                String::from_utf8_lossy(&output.stdout),
                "the database is migrated\n"
            );
        }
        sqlx::any::install_default_drivers();
        let mut conn = AnyConnection::connect(&db.url).await.expect("connects");
        let applied: i64 = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations")
            .fetch_one(&mut conn)
            .await
            .expect("the migrations table exists")
            .get("n");
        let files = std::fs::read_dir("migrations/sqlite")
            .expect("the migrations folder")
            .count();
        assert_eq!(applied as usize, files, "{backend:?}");
        let tables: i64 = sqlx::query("SELECT COUNT(*) AS n FROM rent_payouts")
            .fetch_one(&mut conn)
            .await
            .expect("the ledger exists")
            .get("n");
        assert_eq!(tables, 0);
        conn.close().await.expect("closes");
    }
}
