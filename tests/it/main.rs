//! The one integration-test binary: every test starts the real server on
//! `127.0.0.1:0` with its own database and calls it with the generated
//! clients; store tests run on SQLite and (with BUDGETRAD_TEST_POSTGRES_URL)
//! on PostgreSQL.

mod helpers;

/// Tokens, roles, and the open health and reflection services.
mod access;
/// Early warnings: each kind raised, listed, streamed and closed; the sweep.
mod alerts;
/// The audit trail: exact records, filters, append-only tables.
mod audit;
/// Audit without gaps: replay rows and the records each row names.
mod audit_records;
/// Budgets: normalisation, saving with history, bad input.
mod budgets;
/// The counsellor's case: payments settle the hyresskuld and resolve the notice.
mod case_coherence;
/// One case across the registers: the offer's room, plan checks, the
/// skuldsanering buffer, child support by id, stream item errors.
mod case_offer;
/// The CLI's input: people's amounts and dates, exit codes, CSV as Excel
/// writes it, and the households export.
mod cli_input;
/// The CLI's output: Swedish by default, English with --lang en, 100 columns.
mod cli_output;
/// Credentials fail closed: the token file, revocation, expiry, reasons.
mod credentials;
/// What the database itself refuses: REPLACE on SQLite, the serving role on PostgreSQL.
mod database_guards;
/// Debts: the register, overview, förbehållsbelopp, skuldsanering, dröjsmålsränta.
mod debts;
/// Letters and statements: PDF/A documents with their data twin.
mod documents;
/// Files created 0600, and start-up refusing before it writes anything.
mod files;
/// The monthly follow-up: figures against an independent count, no small cells, roles, units.
mod followup;
/// Random and mutated requests against every validator.
mod fuzz;
/// Bad input is the caller's error: undecodable messages, capped violations.
mod hostile_input;
/// Households: create, read, list, update, look up, and refusals.
mod households;
/// Landlords, leases, rent due dates and eviction-risk notices.
mod leases;
/// Tamper evidence: the hash chains and VerifyLedger.
mod ledger_chains;
/// No personal data in the logs, at DEBUG, on either backend.
mod logs;
/// Names and postal addresses: checked, stored, refused by the database.
mod names;
/// Norm data kept current: GetNormStatus, NormTables health, `norms status`.
mod norm_status;
/// Norm tables: shipped, imported, versioned, compared.
mod norms;
/// Payouts to the bank and back: batches, attestation, pain.001, pain.002
/// and camt.054.
mod payments;
/// The ledger's bounds: rent, arrears, rent month, payout date and ceiling,
/// each refusal writing nothing, and races for one month and one plan.
mod payout_bounds;
/// The rent ledger: payouts, reversals, receipts, and their plans.
mod payouts;
/// The server binary as a child process; a throwaway PostgreSQL cluster.
mod processes;
/// Every command of README.md and docs/guide.md runs (or CI runs it), and
/// the guide shows what its commands print.
mod readme_commands;
/// Faults on purpose: killed servers, a database outage, a locked file.
mod reliability;
/// The rent-paid check, one at a time and streamed.
mod rent_check;
/// Several servers on one PostgreSQL primary, reads from its streaming replica.
mod replicas;
/// Försörjningsstöd: worked examples, tables by year, costs and incomes.
mod social_assistance;
/// No caller can starve another: silent connections, stalled bodies, one caller's streams.
mod starvation;
/// TLS and mutual TLS.
mod tls;
/// Units: every RPC × role × own/other unit, lists, refusals audited, moves.
mod units;
