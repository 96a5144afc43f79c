//! `budgetrad migrate`: applies the migrations as the schema's owner and
//! exits. On PostgreSQL this lets the owner create the tables and grant the
//! serving role its rights (docs/postgres-app-role.sql) before the server
//! first serves as that role, which may not run migrations itself.

use clap::Args;

use super::{OpsError, print};
use crate::store::SqlStore;

#[derive(Clone, Args)]
pub struct MigrateArgs {
    /// The schema owner's URL: sqlite:FILE (created if missing) or
    /// postgres://….
    #[arg(
        long,
        value_name = "URL",
        env = "BUDGETRAD_MIGRATE_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: String,
}

pub(super) async fn run(args: &MigrateArgs) -> Result<(), OpsError> {
    let store = SqlStore::connect(&args.database_url)
        .await
        .map_err(|e| OpsError::Failed(format!("cannot migrate the database: {e:#}")))?;
    store.pool().close().await;
    print("the database is migrated\n")
}
