//! budgetrad: household budgets, försörjningsstöd by the riksnorm, and the
//! tools of eviction prevention for Swedish municipal social services, served
//! over gRPC. See ARCHITECTURE.md for the map.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod documents;
pub mod domain;
pub mod files;
pub mod grpc;
pub mod ops;
pub mod pb;
pub mod startup;
pub mod store;
pub mod telemetry;
