//! `--help` in Swedish. clap's derive texts are the English doc comments
//! and are fixed at compile time, so in a Swedish run (the default) the
//! built command tree gets its texts from the tables below at run time:
//! each command's by its path (`debts add`), each argument's by its path
//! and id (`debts add/balance`), or by its id alone where it means the same
//! everywhere (`/page_size`). clap's own words (the headings, `[default:
//! …]`, `[possible values: …]`, `[env: …]`) are written here too. With
//! `--lang en` the tree is clap's, in English. A test keeps the tables
//! complete: every command and argument has its Swedish row.

use clap::Command;

use super::super::names::words::{Lang, lang};
use super::Cli;

/// The command tree to parse with, in this run's language.
pub fn command() -> Command {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    if lang() == Lang::En {
        return cmd;
    }
    // Built first: global arguments are then copied into each command,
    // and the help flag, the version flag and the help command exist.
    cmd.build();
    swedish(cmd, "")
}

/// `cmd` at `path` with its Swedish texts, and so each command below it.
fn swedish(mut cmd: Command, path: &str) -> Command {
    if let Some(about) = about(path) {
        cmd = cmd.about(about).long_about(long_about(path));
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let help = arg_help(path, &id);
        cmd = cmd.mut_arg(&id, |a| {
            let mut extra = Vec::new();
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() && !a.is_hide_default_value_set() {
                extra.push(format!("[standard: {}]", defaults.join(", ")));
            }
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_owned())
                .collect();
            if !values.is_empty() && !a.is_hide_possible_values_set() {
                extra.push(format!("[möjliga värden: {}]", values.join(", ")));
            }
            if let Some(env) = a.get_env()
                && !a.is_hide_env_set()
            {
                extra.push(format!("[miljövariabel: {}]", env.to_string_lossy()));
            }
            let text = match help {
                Some(help) if extra.is_empty() => help.to_owned(),
                Some(help) => format!("{help} {}", extra.join(" ")),
                None => extra.join(" "),
            };
            a.help(text)
                .long_help(None::<&str>)
                .hide_default_value(true)
                .hide_possible_values(true)
                .hide_env(true)
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in names {
        let below = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |c| swedish(c, &below));
    }
    let template = template(&cmd);
    cmd.help_template(template)
}

/// clap's layout with Swedish headings, naming only the sections the
/// command has.
fn template(cmd: &Command) -> String {
    let mut t = String::from("{about-with-newline}\nAnvändning: {usage}\n");
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        t.push_str("\nArgument:\n{positionals}\n");
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        t.push_str("\nFlaggor:\n{options}\n");
    }
    if cmd.has_subcommands() {
        t.push_str("\nKommandon:\n{subcommands}\n");
    }
    t.push_str("{after-help}");
    t
}

/// The row of a command path: clap's `help` command (at any level) is
/// `help`, and the commands below it, which mirror the real ones for
/// completion, are the real ones' rows.
fn key(path: &str) -> String {
    let parts: Vec<&str> = path.split(' ').filter(|p| !p.is_empty()).collect();
    if parts.last() == Some(&"help") {
        return "help".to_owned();
    }
    parts
        .into_iter()
        .filter(|p| *p != "help")
        .collect::<Vec<_>>()
        .join(" ")
}

fn about(path: &str) -> Option<&'static str> {
    let path = key(path);
    COMMANDS.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// The longer text of `--help`, where there is one.
fn long_about(path: &str) -> Option<&'static str> {
    path.is_empty().then_some(LONG_ABOUT)
}

/// The Swedish help of argument `id` of the command at `path`.
fn arg_help(path: &str, id: &str) -> Option<&'static str> {
    let own = format!("{}/{id}", key(path));
    let any = format!("/{id}");
    ARGS.iter()
        .find(|(key, _)| *key == own)
        .or_else(|| ARGS.iter().find(|(key, _)| *key == any))
        .map(|(_, t)| *t)
}

const LONG_ABOUT: &str = "\
Rådgivarnas klient till budgetrad: hushåll, budgetar, försörjningsstöd enligt
riksnormen och normtabellerna bakom dem. Varje belopp skrivs ut med sin grund:
regeln, tabellraden som lästs och uträkningen.

Indatafiler är TOML eller JSON (efter filändelsen); `KOMMANDO --help` beskriver
varje format, och examples/ har ett exempel på varje. Belopp, i flaggor och filer,
skrivs som på svenska (1 500,50 eller 1 500 kr) eller som 1500.50; datum som
2026-12-02 eller 20261202.

Token läses från --token / BUDGETRAD_TOKEN, annars från filen som --token-file /
BUDGETRAD_TOKEN_FILE anger (standard: budgetrad-admin.token i arbetskatalogen).
Använd hellre miljön eller filen: en --token på kommandoraden syns för andra
användare av datorn.

Slutkoder: 0 lyckades; 2 fel i argument, indatafil, token eller serverns adress
(inget skickades); 1 servern gick inte att nå eller avböjde begäran, eller rader i
en batch misslyckades.";

/// Each command's Swedish description, by its path.
const COMMANDS: &[(&str, &str)] = &[
    (
        "",
        "Rådgivarnas klient till budgetrad: hushåll, budgetar, försörjningsstöd enligt riksnormen och normtabellerna bakom dem.",
    ),
    ("help", "Visar hjälpen för ett kommando"),
    (
        "households",
        "Hushåll och deras medlemmar (roller: counsellor eller caseworker)",
    ),
    ("households create", "Sparar ett nytt hushåll från en fil"),
    ("households get", "Visar ett hushåll och dess medlemmar"),
    ("households list", "Listar hushållen, äldst först"),
    (
        "households update",
        "Ersätter ett hushålls ärendereferens och medlemmar",
    ),
    (
        "households export",
        "Skriver varje hushålls id och sökandens personnummer som en fil för `rent-check --in`, läsbar bara för dig (en befintlig fil ersätts); läses sida för sida genom ListHouseholds, som servern loggar för varje hushåll",
    ),
    (
        "households lookup",
        "Hittar hushållet som en person hör till",
    ),
    (
        "budget",
        "Hushållsbudgetar (roller: counsellor eller caseworker)",
    ),
    (
        "budget calculate",
        "Räknar en budget för en månad utan att spara den",
    ),
    (
        "budget save",
        "Räknar en budget för ett sparat hushålls medlemmar och sparar den",
    ),
    ("budget show", "Visar en sparad budget"),
    (
        "budget list",
        "Listar ett hushålls sparade budgetar, nyast först",
    ),
    (
        "social-assistance",
        "Försörjningsstöd för en månad: riksnorm + skäliga kostnader − inkomster",
    ),
    (
        "norms",
        "Normtabellerna som tjänsten läser (riksnorm, normalbelopp, …)",
    ),
    (
        "norms list",
        "Listar den senaste versionen av varje tabell, nyast först",
    ),
    ("norms show", "Visar en tabell med dess rader"),
    (
        "norms status",
        "Om tabellerna som behövs nu och framöver är inlästa: nästa års riksnorm och normalbelopp från 1 november, nästa halvårs referensränta från 1 juni och 1 december",
    ),
    (
        "norms import",
        "Läser in en normtabell, eller en ny version av en (roll: admin)",
    ),
    (
        "debts",
        "Ett hushålls skulder: register, historik, översikt och förslag (roller: counsellor eller caseworker)",
    ),
    (
        "debts add",
        "Registrerar en skuld i ett hushåll med dess ingående saldo",
    ),
    ("debts list", "Ett hushålls skulder"),
    ("debts show", "En skuld med dess saldohistorik"),
    (
        "debts record",
        "Registrerar en betalning, ränta, en avgift eller en rättelse",
    ),
    (
        "debts settle",
        "Markerar en skuld som reglerad; det som återstår av saldot skrivs av",
    ),
    (
        "debts overview",
        "Summor, prioriterade skulder, kostnad per månad, tid till skuldfrihet och förslaget",
    ),
    (
        "debts offer",
        "Bara förslaget till fördelning mellan borgenärerna utan förtur",
    ),
    (
        "protected-amount",
        "Förbehållsbelopp (det en gäldenär behåller vid löneutmätning), och med net_income i filen det belopp som kan utmätas",
    ),
    (
        "skuldsanering",
        "En uppskattning av skuldsanering: vad varje borgenär får varje år och vad som förblir obetalt",
    ),
    (
        "late-interest",
        "Dröjsmålsränta (räntelagen 6 §): referensränta + 8 procentenheter, per halvår, båda slutdagarna räknade",
    ),
    (
        "documents",
        "Brev och sammanställningar som PDF/A (A4, på svenska) med sin datatvilling: budget-summary, social-assistance-calculation, debt-overview, creditor-request, creditor-offer, rent-arrears-agreement, skuldsanering-estimate, monthly-binder-page",
    ),
    (
        "landlords",
        "Hyresvärdar: namn, organisationsnummer, bankgiro eller plusgiro",
    ),
    ("landlords add", "Registrerar en hyresvärd"),
    (
        "landlords list",
        "Hyresvärdarna, i den ordning de registrerats",
    ),
    (
        "leases",
        "Ett hushålls hyreskontrakt och deras hyreshistorik",
    ),
    (
        "leases add",
        "Registrerar ett hushålls hyreskontrakt med dess första månadshyra",
    ),
    ("leases list", "Ett hushålls hyreskontrakt"),
    ("leases show", "Ett hyreskontrakt med dess hyreshistorik"),
    ("leases rent", "En ny månadshyra från en månad"),
    (
        "rent-due",
        "Förfallodagen för en månads hyra (JB 12:20), sista dagen att betala den och första dagen kontraktet är förverkat (JB 12:42, lag 1930:173)",
    ),
    (
        "plans",
        "Avbetalningsplaner för hyresskuld: förhandsvisa, skapa, visa, lista, betala",
    ),
    (
        "plans preview",
        "Avbetalningarna en plan skulle få, utan att spara den",
    ),
    (
        "plans create",
        "Avtalar en avbetalningsplan för hyresskuld på ett hyreskontrakt",
    ),
    (
        "plans set-debt",
        "Anger den hyresskuld som planens betalningar reglerar (utan --debt: tar bort den)",
    ),
    ("plans show", "En plan med varje avbetalnings läge"),
    ("plans list", "Ett hushålls planer med deras läge i dag"),
    ("plans pay", "Registrerar en betalning av hyresskulden"),
    (
        "notices",
        "Hyresvärdarnas meddelanden till socialnämnden om risk för vräkning (JB 12:44)",
    ),
    (
        "notices add",
        "Registrerar hyresvärdens meddelande till socialnämnden (JB 12:44)",
    ),
    (
        "notices list",
        "Olösta meddelanden efter sista dag, den närmaste först",
    ),
    ("notices resolve", "Markerar ett meddelande som löst"),
    (
        "payouts",
        "Hyra som betalas ut av försörjningsstödet direkt till hyresvärden: registrera, återkalla, lista, visa",
    ),
    (
        "payouts record",
        "Registrerar hyra som betalas ut av försörjningsstödet till kontraktets hyresvärd (roll: payout); mottagare är hyresvärdens bankgiro eller plusgiro",
    ),
    (
        "payouts reverse",
        "Återkallar en utbetalning, högst en gång (roll: payout)",
    ),
    (
        "payouts list",
        "Utbetalningar i den ordning de registrerats",
    ),
    ("payouts show", "En utbetalning med dess återkallelse"),
    (
        "receipts",
        "Kvitton på att ett hushåll själv har betalat sin hyra",
    ),
    (
        "receipts record",
        "Registrerar belägg för att hushållet själv betalat hyran",
    ),
    ("receipts list", "Kvitton i den ordning de registrerats"),
    (
        "payments",
        "Utbetalningar till banken och tillbaka: betalningsomgångar, attest, pain.001-filer och bankens pain.002 och camt.054",
    ),
    (
        "payments batch",
        "Betalningsomgångar: samlas ihop, attesteras, exporteras som pain.001, och bankens svar läses in",
    ),
    (
        "payments batch create",
        "Samlar utbetalningarna som ännu inte skickats till banken i en omgång (roll: payout)",
    ),
    (
        "payments batch approve",
        "Attesterar en omgång och anger dess antal och summa som kontrollerade (roll: attester; inte den som skapade omgången)",
    ),
    (
        "payments batch export",
        "Skriver den attesterade omgångens pain.001-fil (roll: payout)",
    ),
    (
        "payments batch status",
        "Läser in bankens pain.002- eller camt.054-fil (roll: payout)",
    ),
    ("payments batch cancel", "Avbryter en omgång före exporten"),
    ("payments batch list", "Listar omgångar, nyast först"),
    ("payments batch show", "Visar en omgång"),
    (
        "rent-check",
        "Betalades förra månadens hyra? Ett hushåll, eller en CSV-batch i en ström (roller: rent_check eller caseworker)",
    ),
    ("rent-check one", "Kontrollerar ett hushåll"),
    (
        "audit",
        "Loggen över åtkomst till hushållsuppgifter (roll: auditor)",
    ),
    (
        "audit list",
        "Listar loggposter, äldst först; varje angivet filter måste stämma",
    ),
    ("admin", "Kontroller av hela registret"),
    (
        "admin verify-ledger",
        "Räknar om varje hashkedja (hyresreskontrans, per kontrakt, och loggens) och anger den första post som inte stämmer (roll: auditor); slutkod 1 när en inte stämmer",
    ),
    (
        "alerts",
        "Tidiga varningar för dina enheter: lista, bevaka när de kommer, kvittera (roller: counsellor eller caseworker)",
    ),
    (
        "alerts list",
        "Listar de tidiga varningarna för dina enheter, äldst först (slag: notice_deadline, instalment_missed, plan_broken, rent_unpaid, second_unpaid_month, payout_rejected, norm_table_missing)",
    ),
    (
        "alerts watch",
        "Skriver ut varje varning när den uppstår eller ändras, tills Ctrl-C",
    ),
    (
        "alerts ack",
        "Kvitterar en varning (och med --close stänger den)",
    ),
    (
        "follow-up",
        "Månadsuppföljningen för styrgruppen: underrättelser, planer, utbetalningar, hyreskontroller, bostadstrappan och skulder, för dina enheter eller en av dem; tal som vilar på färre än fem fall visas som <5 (roller: auditor eller statistics)",
    ),
];

/// Each argument's Swedish help: by `path/id`, or `/id` for every command
/// that has it.
const ARGS: &[(&str, &str)] = &[
    // Every command
    ("/help", "Visar hjälpen (--help mer utförligt)"),
    ("/version", "Visar versionen"),
    ("/server", "Serverns adress"),
    (
        "/ca_cert",
        "För en https://-server: PEM-filen med den CA som signerat dess certifikat",
    ),
    (
        "/token",
        "Token (använd hellre BUDGETRAD_TOKEN eller en tokenfil: kommandoraden syns för andra användare)",
    ),
    (
        "/token_file",
        "En fil med token på en rad [standard: budgetrad-admin.token]",
    ),
    (
        "/json",
        "Skriv svaret som JSON i stället för tabeller (belopp som decimaltext, uppräkningar som namn i lower_snake)",
    ),
    (
        "/lang",
        "Språket: sv (svenska, standard) eller en (engelska)",
    ),
    (
        "/width",
        "Anpassa tabellerna till N kolumner [standard: terminalens bredd, eller 100 när utdata inte är en terminal, så att den går att skriva ut]",
    ),
    (
        "/page_size",
        "Resultat per sida [serverns standard: 50, högst 500]",
    ),
    (
        "/page_token",
        "Fortsätt från den här sidan (skrivs ut under förra sidan)",
    ),
    ("/all", "Hämta alla sidor"),
    (
        "/request_id",
        "Anropets id; ge samma id igen för att försöka på nytt utan att det registreras två gånger",
    ),
    ("/household_id", "Hushållets id"),
    ("/lease_id", "Hyreskontraktets id"),
    ("/plan_id", "Planens id"),
    ("/debt_id", "Skuldens id"),
    ("/budget_id", "Budgetens id"),
    ("/batch_id", "Omgångens id"),
    ("/payout_id", "Utbetalningens id"),
    ("/notice_id", "Meddelandets id"),
    ("/alert_id", "Varningens id"),
    ("/id", "Id:t"),
    ("/note", "En anteckning"),
    ("/household", "Bara det här hushållet"),
    ("/creditor_care_of", "c/o-raden i borgenärens postadress"),
    ("/creditor_street", "Borgenärens gatuadress eller box"),
    (
        "/creditor_postal_code",
        "Borgenärens postnummer, t.ex. 111 22",
    ),
    ("/creditor_town", "Borgenärens postort"),
    // households
    (
        "households create/file",
        "Hushållsfilen (.toml eller .json)",
    ),
    (
        "households update/file",
        "Hushållsfilen (.toml eller .json)",
    ),
    (
        "households update/revision",
        "Revisionen din ändring bygger på (från `households get`)",
    ),
    ("households export/csv", "CSV-filen som skrivs"),
    (
        "households export/application",
        "Fyll i application_month med den här månaden, ÅÅÅÅ-MM [standard: lämnas tom för dig att fylla i]",
    ),
    (
        "households export/excel",
        "Skriv för svenska Excel: ; mellan kolumnerna, UTF-8 med byte-order mark",
    ),
    (
        "households lookup/personnummer",
        "Personnummer eller samordningsnummer; \"-\" läser det från standard in, så att det inte hamnar i skalets historik",
    ),
    // budget and social assistance
    ("budget calculate/file", "Budgetfilen (.toml eller .json)"),
    (
        "budget save/file",
        "Budgetfilen (.toml eller .json), utan medlemmar",
    ),
    ("social-assistance/file", "Ärendefilen (.toml eller .json)"),
    (
        "social-assistance/household_id",
        "Ett sparat hushåll att räkna för, i stället för medlemmar i filen",
    ),
    // norms
    ("norms list/kind", "Bara tabeller av det här slaget"),
    (
        "norms list/in_force_on",
        "Bara tabeller som gäller den här dagen",
    ),
    (
        "norms show/version",
        "En viss version [standard: den senaste]",
    ),
    (
        "norms status/date",
        "Bedöm från den här dagen [standard: serverns dag i dag]",
    ),
    ("norms import/file", "Normtabellens fil (.toml eller .json)"),
    // debts and their calculators
    (
        "debts add/debtor",
        "Medlemmen som är skyldig (ett medlems-id från `households get`)",
    ),
    ("debts add/creditor", "Borgenärens namn"),
    ("debts add/org_number", "Borgenärens organisationsnummer"),
    (
        "debts add/reference",
        "Borgenärens referens (faktura- eller ärendenummer)",
    ),
    (
        "debts add/kind",
        "rent, electricity, tax, csn, healthcare, consumer_credit, sms_loan, kronofogden_case, maintenance eller other",
    ),
    (
        "debts list/kind",
        "Bara skulder av det här slaget: rent, electricity, tax, csn, healthcare, consumer_credit, sms_loan, kronofogden_case, maintenance eller other",
    ),
    (
        "debts add/status",
        "active, debt_collection, kronofogden eller skuldsanering",
    ),
    (
        "debts list/status",
        "Bara skulder med den här statusen: active, debt_collection, kronofogden eller skuldsanering",
    ),
    ("debts add/balance", "Det ingående saldot, t.ex. 12 000,50"),
    (
        "debts add/balance_date",
        "Dagen för det ingående saldot, ÅÅÅÅ-MM-DD [standard: i dag]",
    ),
    ("debts add/rate", "Årsränta i procent, t.ex. 12.5"),
    ("debts add/fee", "Avgiften per månad"),
    ("debts add/payment", "Den avtalade betalningen per månad"),
    (
        "debts record/kind",
        "payment, interest, fee eller correction",
    ),
    (
        "debts record/amount",
        "Positivt; för en rättelse den ändring som görs, med tecken, t.ex. -150",
    ),
    ("debts record/date", "ÅÅÅÅ-MM-DD"),
    ("debts settle/date", "ÅÅÅÅ-MM-DD [standard: i dag]"),
    ("debts overview/date", "ÅÅÅÅ-MM-DD [standard: i dag]"),
    (
        "/available",
        "Beloppet per månad till borgenärerna [standard: överskottet i hushållets senast sparade budget, minus de prioriterade skuldernas avtalade betalningar och planernas avbetalningar som förfaller i månaden, aldrig under 0]",
    ),
    ("protected-amount/file", "Ärendefilen (.toml eller .json)"),
    (
        "protected-amount/household_id",
        "Ett sparat hushåll, i stället för medlemmar i filen",
    ),
    ("skuldsanering/file", "Ärendefilen (.toml eller .json)"),
    (
        "skuldsanering/household_id",
        "Ett sparat hushåll, i stället för medlemmar i filen",
    ),
    (
        "late-interest/principal",
        "Det försenade beloppet, t.ex. 10000",
    ),
    (
        "late-interest/from",
        "Första dagen av dröjsmålet, ÅÅÅÅ-MM-DD",
    ),
    ("late-interest/to", "Sista dagen av dröjsmålet, ÅÅÅÅ-MM-DD"),
    // documents
    (
        "documents/kind",
        "Dokumentet: budget-summary, social-assistance-calculation, debt-overview, creditor-request, creditor-offer, rent-arrears-agreement, skuldsanering-estimate eller monthly-binder-page",
    ),
    ("documents/household", "Hushållet dokumentet handlar om"),
    (
        "documents/budget",
        "Den sparade budgeten (budget-summary, monthly-binder-page)",
    ),
    (
        "documents/plan",
        "Avbetalningsplanen (rent-arrears-agreement; på pärmsidan dess avbetalningar)",
    ),
    (
        "documents/debt",
        "Bara den här borgenärens brev (creditor-request, creditor-offer)",
    ),
    (
        "documents/date",
        "Dagen på dokumentet, ÅÅÅÅ-MM-DD [standard: i dag]",
    ),
    (
        "documents/month",
        "Pärmsidans månad, ÅÅÅÅ-MM [standard: budgetens]",
    ),
    (
        "documents/available",
        "Beloppet per månad som erbjuds borgenärerna [standard: från budgeten]",
    ),
    (
        "documents/case",
        "Ärendefilen till social-assistance-calculation eller skuldsanering-estimate (som `social-assistance` och `skuldsanering` läser den)",
    ),
    ("documents/out", "Dit PDF-filen skrivs"),
    (
        "documents/json_out",
        "Dit datatvillingen (JSON) skrivs (`--json FIL` efter `documents` är detsamma)",
    ),
    (
        "documents/out_dir",
        "creditor-request, creditor-offer: ett brev per borgenär i den här mappen (skapas om den saknas), varje brev som PDF och JSON",
    ),
    // landlords, leases, plans, notices
    ("landlords add/name", "Hyresvärdens namn"),
    (
        "landlords add/org_number",
        "Hyresvärdens organisationsnummer",
    ),
    (
        "landlords add/bankgiro",
        "Dit hyran betalas: ett bankgironummer, eller --plusgiro",
    ),
    ("landlords add/plusgiro", "Ett plusgironummer"),
    (
        "landlords add/requires_ocr",
        "Betalningar måste ha ett OCR-nummer",
    ),
    ("leases add/landlord", "Hyresvärdens id"),
    ("leases add/object", "Hyresvärdens beteckning på bostaden"),
    (
        "leases add/contract_type",
        "first_hand, second_hand, social, housing_first, training, emergency eller supported",
    ),
    ("leases add/start", "Första månaden, ÅÅÅÅ-MM"),
    ("leases add/rent", "Månadshyran"),
    (
        "leases rent/from",
        "Månaden den nya hyran gäller från, ÅÅÅÅ-MM",
    ),
    ("leases rent/rent", "Den nya månadshyran"),
    ("/arrears", "Hyresskulden som ska betalas av"),
    ("/start", "Första månaden, ÅÅÅÅ-MM"),
    (
        "/instalment",
        "Avbetalningen varje månad (den sista tar resten)",
    ),
    ("/months", "Eller antalet månader, skulden delad lika"),
    (
        "plans create/broken_after",
        "Missade avbetalningar som bryter planen [standard: 2]",
    ),
    (
        "plans create/debt",
        "Hyresskulden som planens betalningar reglerar (behövs när hushållet har flera till hyresvärden)",
    ),
    ("plans set-debt/debt", "Hyresskuldens id"),
    (
        "plans show/on",
        "Dagen lägena visas för, ÅÅÅÅ-MM-DD [standard: i dag]",
    ),
    ("plans pay/amount", "Det betalda beloppet"),
    ("plans pay/date", "Betalningsdagen, ÅÅÅÅ-MM-DD"),
    (
        "notices add/served",
        "Dagen hyresgästen delgavs underrättelsen",
    ),
    ("notices add/owed", "Den skuld underrättelsen anger"),
    ("notices list/include_resolved", "Även lösta meddelanden"),
    (
        "notices resolve/resolution",
        "paid, plan_agreed eller other",
    ),
    (
        "notices resolve/date",
        "Dagen det löstes, ÅÅÅÅ-MM-DD [standard: i dag]",
    ),
    // payouts, receipts, payments
    ("/lease", "Bara det här hyreskontraktet"),
    ("/from", "Första hyresmånaden, ÅÅÅÅ-MM"),
    ("/to", "Sista hyresmånaden, ÅÅÅÅ-MM"),
    ("/month", "Hyresmånaden som betalas, ÅÅÅÅ-MM"),
    ("payouts record/kind", "rent (månadens hyra) eller arrears"),
    ("receipts record/kind", "rent eller arrears"),
    ("payouts record/amount", "Beloppet"),
    ("receipts record/amount", "Beloppet"),
    (
        "payouts record/decision",
        "Beslutet i försörjningsstödssystemet som utbetalningen görs enligt",
    ),
    (
        "payouts record/ocr",
        "OCR-numret, om hyresvärden använder ett",
    ),
    ("payouts record/date", "Utbetalningsdagen, ÅÅÅÅ-MM-DD"),
    ("payouts reverse/reason", "Varför utbetalningen återkallas"),
    (
        "payouts list/decision",
        "Bara utbetalningar enligt det här beslutet",
    ),
    (
        "receipts record/paid",
        "Dagen hushållet betalade, ÅÅÅÅ-MM-DD",
    ),
    (
        "receipts record/source",
        "client_receipt, landlord_confirmation, autogiro eller bank_statement",
    ),
    (
        "payments batch create/from",
        "Första utbetalningsdagen, ÅÅÅÅ-MM-DD",
    ),
    (
        "payments batch create/to",
        "Sista utbetalningsdagen, ÅÅÅÅ-MM-DD",
    ),
    (
        "payments batch create/kind",
        "rent eller arrears [standard: båda]",
    ),
    (
        "payments batch approve/count",
        "Antalet utbetalningar i omgången, som kontrollerat",
    ),
    (
        "payments batch approve/total",
        "Omgångens summa, som kontrollerad",
    ),
    ("payments batch export/out", "Dit pain.001-filen skrivs"),
    (
        "payments batch status/file",
        "Bankens pain.002- eller camt.054-fil",
    ),
    ("payments batch cancel/reason", "Varför omgången avbryts"),
    // rent checks
    ("rent-check/input", "Ansökningarna, som CSV (se nedan)"),
    (
        "rent-check/output",
        "Dit svaren skrivs, som CSV; en befintlig fil ersätts",
    ),
    (
        "rent-check/delimiter",
        "Indatans kolumnavgränsare, , eller ; [standard: avläst från rubrikraden]",
    ),
    (
        "rent-check/excel",
        "Skriv svaren för svenska Excel: ; mellan kolumnerna, decimalkomma, UTF-8 med byte-order mark",
    ),
    ("rent-check one/household", "Hushållets id"),
    (
        "rent-check one/person",
        "En medlems personnummer; `-` läser det från standard in",
    ),
    (
        "rent-check one/application",
        "Månaden som ansökan gäller, ÅÅÅÅ-MM",
    ),
    (
        "rent-check one/rent_month",
        "Hyresmånaden som kontrolleras [standard: månaden före]",
    ),
    (
        "rent-check one/as_of",
        "Dagen kontrollen görs per, ÅÅÅÅ-MM-DD [standard: i dag]",
    ),
    // audit, alerts, follow-up, rent-due
    (
        "audit list/caller",
        "Bara poster från den här anroparen (ett token- eller certifikatnamn)",
    ),
    (
        "audit list/method",
        "Bara den här metoden, som budgetrad.v1.HouseholdService/GetHousehold",
    ),
    (
        "audit list/outcome",
        "Bara det här utfallet: OK eller ett gRPC-statusnamn som NOT_FOUND",
    ),
    (
        "audit list/since",
        "Poster från och med den här tidpunkten: RFC 3339 (2026-11-01T08:00:00+01:00) eller ett datum (ÅÅÅÅ-MM-DD, från midnatt svensk tid)",
    ),
    (
        "audit list/until",
        "Poster före den här tidpunkten (samma former som --since; ett datum betyder före midnatt när den dagen börjar)",
    ),
    (
        "audit list/record",
        "Bara poster som nämner det här post-id:t (en utbetalning, ett kvitto, kontrakt, en plan, skuld …)",
    ),
    (
        "alerts list/state",
        "open, acknowledged eller closed; upprepa för flera [standard: alla]",
    ),
    (
        "alerts list/kind",
        "Ett slag av varning; upprepa för flera [standard: alla]",
    ),
    (
        "alerts watch/kind",
        "Ett slag av varning; upprepa för flera [standard: alla]",
    ),
    (
        "alerts watch/after",
        "Fortsätt efter det här löpnumret (skrivs ut med varje varning)",
    ),
    ("alerts ack/close", "Stäng också varningen"),
    ("follow-up/month", "Månaden, ÅÅÅÅ-MM (den första, med --to)"),
    (
        "follow-up/to",
        "Sista månaden i ett intervall, ÅÅÅÅ-MM (högst 24 månader)",
    ),
    ("follow-up/unit", "En av dina enheter"),
    (
        "follow-up/csv",
        "Skriv också talen som CSV till FIL (samma <5 för små celler)",
    ),
    (
        "follow-up/pdf",
        "Skriv också styrgruppens rapport som PDF/A till FIL: ett diagram per mått över de tolv månader som slutar med den sista",
    ),
    (
        "follow-up/pdf_json",
        "Med --pdf: dit rapportens datatvilling (JSON) skrivs",
    ),
    ("rent-due/month", "ÅÅÅÅ-MM"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command path and argument of the tree, after building.
    fn walk(cmd: &Command, path: &str, out: &mut Vec<(String, Option<String>)>) {
        out.push((path.to_owned(), None));
        for a in cmd.get_arguments() {
            out.push((path.to_owned(), Some(a.get_id().to_string())));
        }
        for c in cmd.get_subcommands() {
            let below = if path.is_empty() {
                c.get_name().to_owned()
            } else {
                format!("{path} {}", c.get_name())
            };
            walk(c, &below, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_its_swedish_help_and_every_row_is_used() {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        cmd.build();
        let mut all = Vec::new();
        walk(&cmd, "", &mut all);
        let mut missing = Vec::new();
        let mut used = std::collections::BTreeSet::new();
        for (path, arg) in &all {
            match arg {
                None => match about(path) {
                    Some(_) => {
                        used.insert(key(path));
                    }
                    None => missing.push(path.clone()),
                },
                Some(id) => {
                    let own = format!("{}/{id}", key(path));
                    let any = format!("/{id}");
                    if ARGS.iter().any(|(k, _)| *k == own) {
                        used.insert(own);
                    } else if ARGS.iter().any(|(k, _)| *k == any) {
                        used.insert(any);
                    } else {
                        missing.push(own);
                    }
                }
            }
        }
        assert!(missing.is_empty(), "no Swedish help for {missing:#?}");
        let unused: Vec<&str> = COMMANDS
            .iter()
            .chain(ARGS)
            .map(|(k, _)| *k)
            .filter(|k| !used.contains(*k))
            .collect();
        assert!(unused.is_empty(), "rows no command has: {unused:#?}");
    }

    #[test]
    fn the_swedish_tree_still_parses_and_checks_as_clap_would() {
        let mut cmd = swedish(
            {
                let mut c = <Cli as clap::CommandFactory>::command();
                c.build();
                c
            },
            "",
        );
        cmd.clone().debug_assert();
        let help = cmd.render_long_help().to_string();
        assert!(help.contains("Användning:"), "{help}");
        assert!(help.contains("Kommandon:"), "{help}");
        assert!(help.contains("Serverns adress"), "{help}");
        assert!(
            help.contains("[standard: http://127.0.0.1:50051]"),
            "{help}"
        );
        let debts = cmd
            .find_subcommand_mut("debts")
            .and_then(|c| c.find_subcommand_mut("add"))
            .expect("debts add")
            .render_help()
            .to_string();
        assert!(debts.contains("Det ingående saldot"), "{debts}");
        assert!(debts.contains("Flaggor:"), "{debts}");
        assert!(!debts.contains("Options:"), "{debts}");
    }
}
