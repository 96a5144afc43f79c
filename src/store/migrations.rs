//! The embedded migrations of each backend. Both folders hold the same file
//! names (a change lands in both under one name); a test checks that. They
//! are embedded with `include_str!` rather than sqlx's `migrate!` macro,
//! which would build the sqlx drivers a second time for the proc-macro host.

use std::borrow::Cow;

use sqlx::AnyConnection;
use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

use super::Backend;

type Embedded = (i64, &'static str, &'static str);

/// Both backends' lists from one list of names: `SQLITE` and `POSTGRES`.
macro_rules! embedded {
    ($($version:literal $name:literal),* $(,)?) => {
        const SQLITE: &[Embedded] = &[$(($version, $name, include_str!(concat!("../../migrations/sqlite/", stringify!($version), "_", $name, ".sql")))),*];
        const POSTGRES: &[Embedded] = &[$(($version, $name, include_str!(concat!("../../migrations/postgres/", stringify!($version), "_", $name, ".sql")))),*];
    };
}

embedded!(
    20261122000001 "create_core",
    20261122000002 "insert_norm_tables",
    20261122000003 "create_audit_events",
    20261122000004 "create_debts",
    20261122000005 "create_leases",
    20261122000006 "create_rent_plans",
    20261122000007 "create_rent_ledger",
    20261122000008 "index_rent_plans_by_lease",
    20261122000009 "cover_rent_check_reads",
    20261204000010 "audit_records",
    20261204000011 "hash_chains",
    20261204000012 "payments_settle_debts",
    20261204000015 "referensranta_2026_h2",
    20261204000016 "household_units",
    20261204000017 "household_unit_changes",
    20261204000020 "household_names",
    20261204000021 "member_names",
    20261204000022 "creditor_addresses",
    20261204000030 "payment_batches",
    20261204000031 "landlord_postal_address",
    20261204000032 "lease_end_month",
    20261204000033 "ledger_within_lease",
    20261204000036 "alerts",
    20261204000040 "payout_sent_on_export",
    20261204000041 "cover_lease_ends",
    20261204000043 "payout_batched_by_membership",
);

fn migrator(backend: Backend) -> Migrator {
    let list = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    Migrator::with_migrations(
        list.iter()
            .map(|(version, name, sql)| {
                Migration::new(
                    *version,
                    Cow::Borrowed(*name),
                    MigrationType::Simple,
                    (*sql).into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

/// Applies what is missing over `conn`, which must be the schema's owner
/// (on PostgreSQL the serving role may be one that cannot create tables).
pub(super) async fn run(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<(), sqlx::migrate::MigrateError> {
    migrator(backend).run(conn).await
}

#[cfg(test)]
mod tests;
