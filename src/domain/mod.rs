//! The pure rules of budgetrad: money, the Swedish calendar, identity numbers,
//! norm tables, the riksnorm, budgets and försörjningsstöd, debts, and
//! rent-arrears payment plans.
//!
//! Architecture invariant: nothing here knows about gRPC, protobuf, SQL, the
//! async runtime or any I/O. The gRPC layer parses requests into these types
//! at the boundary and the store maps rows to them; the domain only computes,
//! so it cannot fail for reasons outside its rules and is tested without a
//! server or database.

pub mod alert;
pub mod audit;
pub mod budget;
pub mod calendar;
pub mod chain;
pub mod debt;
pub mod error;
pub mod explain;
pub mod followup;
pub mod household;
pub mod identity;
pub mod lease;
pub mod ledger;
pub mod money;
pub mod names;
pub mod norms;
pub mod payment;
pub mod rate;
pub mod rent_check;
pub mod rent_plan;
pub mod riksnorm;
#[cfg(test)]
pub(crate) mod testkit;
pub mod unit;
pub mod warnings;
