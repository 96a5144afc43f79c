//! RenderDocument throughput: a CREDITOR_OFFER with 10 creditors (a summary
//! and ten letters) through gRPC, beside the same document typeset alone
//! in-process (no data reads, no gRPC), in one run; then where the time
//! goes (the document typeset one at a time, layout and PDF apart, and one
//! creditor's letter alone as a document of its own) and the ceiling that sets:
//! the machine's cores over the CPU time of one document typeset alone;
//! then the process's memory over 1 000 distinct documents (typst's memo
//! cache is evicted after each render, so it must stay flat).
//!
//! `cargo bench --bench documents`. Options by environment: BENCH_SECONDS
//! (per measurement, default 5), BENCH_CONCURRENCY (default 2, the cores of
//! the reference machine), BENCH_DOCUMENTS (for the memory run, default
//! 1000). Targets: ratio ≥ 0.5 and ≥ 100 documents/s through gRPC.

#[path = "common.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use budgetrad::app::App;
use budgetrad::clock::SystemClock;
use budgetrad::documents::kinds::{Context, Letterhead, debts};
use budgetrad::documents::{self, Document};
use budgetrad::grpc::auth::Role;
use budgetrad::pb;
use budgetrad::startup::ServeOptions;
use budgetrad::store::{SqlStore, Store};
use common::{InProcess, bench_token, cpu_micros, env_or, measure};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SECRET: &str = "bench-secret";

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

async fn run() -> anyhow::Result<()> {
    let seconds = env_or("BENCH_SECONDS", 5);
    let concurrency = env_or("BENCH_CONCURRENCY", 2);
    let documents = env_or("BENCH_DOCUMENTS", 1000);
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> = Arc::new(
        SqlStore::connect(&format!("sqlite:{}", dir.path().join("bench.db").display())).await?,
    );
    let app = App::new(store, Arc::new(SystemClock));
    let server = InProcess::start(
        app,
        vec![bench_token("bench", SECRET, vec![Role::Counsellor])],
        ServeOptions::default(),
    )
    .await?;
    let channel = server.channel.clone();
    let bearer: tonic::metadata::MetadataValue<_> = format!("Bearer {SECRET}").parse()?;
    let auth = move |mut req: tonic::Request<()>| {
        req.metadata_mut().insert("authorization", bearer.clone());
        Ok(req)
    };

    // The case: one household, ten creditors without priority.
    let household = pb::household_service_client::HouseholdServiceClient::with_interceptor(
        channel.clone(),
        auth.clone(),
    )
    .create_household(pb::CreateHouseholdRequest {
        household: Some(pb::Household {
            case_reference: "BENCH-1".into(),
            members: vec![pb::Member {
                role: pb::MemberRole::Applicant as i32,
                // The fictional test number of examples/household.toml.
                personal_identity_number: "19640823-3234".into(),
                ..Default::default()
            }],
            ..Default::default()
        }),
    })
    .await?
    .into_inner()
    .household
    .expect("a household");
    let mut debts_client =
        pb::debt_service_client::DebtServiceClient::with_interceptor(channel.clone(), auth.clone());
    for n in 1..=10 {
        debts_client
            .create_debt(pb::CreateDebtRequest {
                request_id: uuid::Uuid::new_v4().to_string(),
                debt: Some(pb::Debt {
                    household_id: household.id.clone(),
                    debtor_member_id: household.members[0].id.clone(),
                    creditor_name: format!("Exempel Kredit {n} AB"),
                    creditor_reference: format!("REF-{n:04}"),
                    kind: pb::DebtKind::ConsumerCredit as i32,
                    status: pb::DebtStatus::Active as i32,
                    balance: Some(pb::Money {
                        amount: format!("{}", 5_000 + n * 1_250),
                    }),
                    annual_interest_rate: "0".into(),
                    monthly_fee: Some(pb::Money { amount: "0".into() }),
                    agreed_monthly_payment: Some(pb::Money { amount: "0".into() }),
                    ..Default::default()
                }),
                balance_date: "2026-11-01".into(),
            })
            .await?;
    }
    let request = pb::RenderDocumentRequest {
        kind: pb::DocumentKind::CreditorOffer as i32,
        household_id: household.id.clone(),
        date: "2026-12-02".into(),
        available_monthly_amount: Some(pb::Money {
            amount: "2337".into(),
        }),
        ..Default::default()
    };
    let documents_client = pb::document_service_client::DocumentServiceClient::with_interceptor(
        channel.clone(),
        auth.clone(),
    );
    // The document alone: built once from the same overview, typeset with
    // a new id each time (so each is distinct, as through the RPC).
    let overview = debts_client
        .get_debt_overview(pb::GetDebtOverviewRequest {
            household_id: household.id.clone(),
            date: "2026-12-02".into(),
            available_monthly_amount: request.available_monthly_amount.clone(),
        })
        .await?
        .into_inner();
    let letterhead = Letterhead::default();
    let build = Arc::new(move || {
        let ctx = Context {
            kind: "CREDITOR_OFFER",
            document_id: uuid::Uuid::now_v7().to_string(),
            letterhead: &letterhead,
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date"),
            household: "hushållet i ärende BENCH-1".into(),
            household_address: Vec::new(),
            applicant: String::new(),
            signer: None,
        };
        debts::creditor_offer(&ctx, &overview, None)
    });
    let alone = {
        let build = build.clone();
        Arc::new(move |_task: usize| {
            let created = chrono::Utc::now().naive_utc();
            documents::render(&build(), created).map(|pdf| pdf.len())
        })
    };

    let first = documents_client
        .clone()
        .render_document(request.clone())
        .await?
        .into_inner();
    let letters = serde_json::from_str::<serde_json::Value>(&first.json)?["letters"]
        .as_array()
        .map_or(0, Vec::len);
    println!(
        "CREDITOR_OFFER, 10 creditors: {letters} letters, {} kB PDF",
        first.pdf.len() / 1024
    );

    let duration = Duration::from_secs(seconds);
    let rpc = {
        let client = documents_client.clone();
        let request = request.clone();
        move |_task: usize| {
            let mut client = client.clone();
            let request = request.clone();
            async move { client.render_document(request).await.is_ok() }
        }
    };
    let typeset = {
        let alone = alone.clone();
        move |task: usize| {
            let alone = alone.clone();
            async move {
                tokio::task::spawn_blocking(move || alone(task).is_ok())
                    .await
                    .unwrap_or(false)
            }
        }
    };
    // Warm both paths, then measure each twice, alternating.
    let _ = measure(concurrency, Duration::from_secs(1), rpc.clone()).await;
    let _ = measure(concurrency, Duration::from_secs(1), typeset.clone()).await;
    let mut rpc_rates = Vec::new();
    let mut alone_rates = Vec::new();
    let mut alone_cpu = Vec::new();
    for _ in 0..2 {
        rpc_rates.push(measure(concurrency, duration, rpc.clone()).await.0);
        let (rate, cpu) = measure(concurrency, duration, typeset.clone()).await;
        alone_rates.push(rate);
        alone_cpu.extend(cpu);
    }
    let best = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let (through, alone_rate) = (best(&rpc_rates), best(&alone_rates));
    println!(
        "RenderDocument over gRPC: {through:.1} documents/s (target ≥ 100), concurrency {concurrency}"
    );
    println!("typeset alone in-process: {alone_rate:.1} documents/s");
    println!(
        "ratio: {:.2} (target ≥ 0.5)",
        if alone_rate > 0.0 {
            through / alone_rate
        } else {
            0.0
        }
    );

    // Where the time goes: the document typeset one at a time, in its two
    // stages, and one creditor's letter alone as a document of its own.
    let whole = build();
    let mut one_letter = whole.clone();
    one_letter.letters = whole.letters.iter().skip(1).take(1).cloned().collect();
    let (whole, one_letter) = tokio::task::spawn_blocking(move || {
        anyhow::Ok((stages(&whole, 20)?, stages(&one_letter, 50)?))
    })
    .await??;
    println!("one document at a time (typst lays out a document's letters in parallel):");
    for (what, s) in [
        ("the whole offer", &whole),
        ("one creditor's letter alone", &one_letter),
    ] {
        println!(
            "  {what}, {} {}: layout {:.1} ms + PDF {:.1} ms = {:.1} ms, {:.1} ms CPU",
            s.pages,
            if s.pages == 1 { "page" } else { "pages" },
            s.layout_ms,
            s.pdf_ms,
            s.layout_ms + s.pdf_ms,
            s.cpu_ms,
        );
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if let Some(cpu) = alone_cpu.iter().copied().reduce(f64::min) {
        let cpu_ms = cpu / 1000.0;
        println!(
            "ceiling: {cores} cores / {cpu_ms:.1} ms CPU a document typeset alone at concurrency \
             {concurrency} = {:.1} documents/s ({:.2} ms CPU a page); 100 documents/s needs \
             ≤ {:.1} ms a document",
            cores as f64 * 1000.0 / cpu_ms,
            cpu_ms / whole.pages as f64,
            cores as f64 * 1000.0 / 100.0,
        );
    }

    // Memory over distinct documents: each has its own id and its own
    // available amount, so every share and letter differs.
    let mut client = documents_client.clone();
    let mut at_100 = 0.0;
    for n in 1..=documents {
        let mut distinct = request.clone();
        distinct.available_monthly_amount = Some(pb::Money {
            amount: format!("{}.{:02}", 2000 + n / 100, n % 100),
        });
        client.render_document(distinct).await?;
        if n == 100 {
            at_100 = rss_mib();
        }
    }
    let end = rss_mib();
    println!(
        "process memory (server and client): {at_100:.1} MiB after 100 documents, \
         {end:.1} MiB after {documents} ({:+.1} MiB)",
        end - at_100
    );
    server.stop().await;
    Ok(())
}

/// Mean wall time of each stage and CPU time of one render of `document`,
/// typeset `rounds` times in a row, each with a new id (so each is distinct).
struct Stages {
    pages: usize,
    layout_ms: f64,
    pdf_ms: f64,
    cpu_ms: f64,
}

fn stages(document: &Document, rounds: u32) -> anyhow::Result<Stages> {
    let (mut layout, mut pdf, mut pages) = (Duration::ZERO, Duration::ZERO, 0);
    let cpu_before = cpu_micros();
    for _ in 0..rounds {
        let mut distinct = document.clone();
        distinct.document_id = uuid::Uuid::now_v7().to_string();
        let created = chrono::Utc::now().naive_utc();
        let data = serde_json::to_vec(&distinct)?;
        let start = Instant::now();
        let paged = documents::layout_json(data, created)?;
        let laid_out = Instant::now();
        documents::export_pdf(&paged, created)?;
        pdf += laid_out.elapsed();
        layout += laid_out - start;
        pages = paged.pages().len();
        // As render_json does after each document.
        typst::comemo::evict(documents::CACHE_AGE);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / f64::from(rounds);
    let cpu_ms = match (cpu_before, cpu_micros()) {
        (Some(before), Some(after)) => (after - before) as f64 / 1000.0 / f64::from(rounds),
        _ => 0.0,
    };
    Ok(Stages {
        pages,
        layout_ms: ms(layout),
        pdf_ms: ms(pdf),
        cpu_ms,
    })
}
