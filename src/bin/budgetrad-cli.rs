//! `budgetrad-cli`: the counsellors' command-line client of the budgetrad
//! service. It reads households, budgets and försörjningsstöd cases from TOML
//! or JSON files, calls the service over gRPC, and prints every figure with
//! its basis. The code lives in `budgetrad::cli`; run `budgetrad-cli --help`.

fn main() -> std::process::ExitCode {
    budgetrad::cli::main()
}
