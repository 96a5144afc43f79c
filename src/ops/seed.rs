//! `budgetrad seed`: a synthetic municipality written straight into the
//! database (see `store::SeedPlan`), for benchmarks and demos. The store
//! does the writing; this is the command line around it: the shares
//! checked, the default last month from the server's clock, a progress bar
//! and the report.

use clap::Args;

use super::{OpsError, print};
use crate::domain::calendar::YearMonth;
use crate::store::{SeedPlan, SqlStore};

#[derive(Clone, Args)]
pub struct SeedArgs {
    /// sqlite:FILE or postgres://…; migrated first.
    #[arg(
        long,
        value_name = "URL",
        env = "BUDGETRAD_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: String,
    #[arg(long, default_value_t = 1000)]
    households: u32,
    /// Months of rent history.
    #[arg(long, default_value_t = 12)]
    months: u32,
    /// The last month with history [default: last month].
    #[arg(long, value_name = "YYYY-MM")]
    last_month: Option<String>,
    // The five shares are probabilities of the synthetic draws (0–1),
    // never money: floating point, as `store::SeedPlan` says.
    /// Share of household-months left unpaid.
    #[arg(long, default_value_t = 0.05)]
    unpaid: f64,
    /// Share of household-months partly paid.
    #[arg(long, default_value_t = 0.05)]
    partly: f64,
    /// Share of paid-out months with a wrong payout, reversed.
    #[arg(long, default_value_t = 0.02)]
    reversed: f64,
    /// Share of households served an eviction-risk notice (some resolved,
    /// some with a rent-arrears plan and its payments).
    #[arg(long, default_value_t = 0.03)]
    notices: f64,
    /// Share of households moving to a lease of another contract type.
    #[arg(long, default_value_t = 0.1)]
    moves: f64,
    /// The random seed: the same arguments give the same data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print the counts as JSON.
    #[arg(long)]
    json: bool,
}

impl SeedArgs {
    /// The plan, or why the arguments do not make one.
    fn plan(&self) -> Result<SeedPlan, OpsError> {
        for (name, share) in [
            ("--unpaid", self.unpaid),
            ("--partly", self.partly),
            ("--reversed", self.reversed),
            ("--notices", self.notices),
            ("--moves", self.moves),
        ] {
            if !(0.0..=1.0).contains(&share) {
                return Err(OpsError::Usage(format!("{name} is a share from 0 to 1")));
            }
        }
        if self.unpaid + self.partly > 1.0 {
            return Err(OpsError::Usage(
                "--unpaid and --partly together exceed 1".to_owned(),
            ));
        }
        let last_month = match &self.last_month {
            Some(m) => YearMonth::parse(m)
                .ok_or_else(|| OpsError::Usage(format!("--last-month {m:?} is not YYYY-MM")))?,
            None => YearMonth::of(crate::clock::stockholm_date(chrono::Utc::now())).pred(),
        };
        Ok(SeedPlan {
            households: self.households,
            months: self.months,
            last_month,
            unpaid_share: self.unpaid,
            partly_share: self.partly,
            reversal_share: self.reversed,
            notice_share: self.notices,
            move_share: self.moves,
            seed: self.seed,
        })
    }
}

pub(super) async fn run(args: &SeedArgs) -> Result<(), OpsError> {
    let plan = args.plan()?;
    let store = SqlStore::connect(&args.database_url)
        .await
        .map_err(|e| OpsError::Failed(format!("cannot open the database: {e:#}")))?;
    let bar = indicatif::ProgressBar::new(u64::from(plan.households));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} households, {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let report = store
        .seed_municipality(&plan, chrono::Utc::now(), |done| bar.set_position(done))
        .await
        .map_err(|e| OpsError::Failed(format!("seeding failed: {:#}", anyhow::Error::from(e))))?;
    bar.finish_and_clear();
    if args.json {
        print(&format!(
            "{}\n",
            serde_json::json!({
                "households": report.households,
                "leases": report.leases,
                "payouts": report.payouts,
                "reversals": report.reversals,
                "receipts": report.receipts,
                "notices": report.notices,
                "plans": report.plans,
                "moves": report.moves,
            })
        ))
    } else {
        print(&format!(
            "seeded {} households, {} leases ({} moves), {} payouts ({} reversed), {} receipts, {} notices, {} plans: {} months to {} in {:.1} s\n",
            report.households,
            report.leases,
            report.moves,
            report.payouts,
            report.reversals,
            report.receipts,
            report.notices,
            report.plans,
            plan.months,
            plan.last_month,
            started.elapsed().as_secs_f64()
        ))
    }
}

#[cfg(test)]
mod tests;
