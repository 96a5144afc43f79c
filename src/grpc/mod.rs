//! The gRPC boundary: one file per proto service, the conversions between
//! proto messages and domain types (parsing every field at the boundary), the
//! one mapping of errors to `Status`, and authentication.

pub mod alert_service;
pub mod audit;
pub mod auth;
pub mod budget_service;
pub mod convert;
pub mod debt_service;
pub mod decode;
pub mod document_service;
pub mod followup_service;
pub mod household_service;
pub mod layer;
pub mod limits;
pub mod norm_service;
pub mod payment_service;
pub mod payout_service;
pub mod rent_check_service;
pub mod rent_service;
pub mod status;
