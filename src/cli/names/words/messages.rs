//! The words of the CLI's messages on standard error: usage errors, input
//! files and flags refused, and the server's refusals explained. Swedish,
//! English, as in [`super::WORDS`].

/// Swedish, English.
pub(super) const MESSAGES: &[(&str, &str)] = &[
    // Usage errors (clap's, rendered by the CLI)
    ("okänt argument '{}'", "unexpected argument '{}'"),
    ("\n  tips: menade du '{}'?", "\n  tip: did you mean '{}'?"),
    (
        "\n  tips: ett värde som börjar med '-' skrivs med '=': --flagga={}",
        "\n  tip: a value that starts with '-' is written with '=': --flag={}",
    ),
    ("okänt kommando '{}'", "unrecognized subcommand '{}'"),
    ("{} saknar sitt värde", "{} needs a value"),
    ("ogiltigt värde '{}' för {}", "invalid value '{}' for {}"),
    ("; möjliga värden: {}", "; possible values: {}"),
    (
        "okänt värde \"{}\"; möjliga värden: {}",
        "unknown value \"{}\"; allowed: {}",
    ),
    (
        "ogiltigt värde '{}' för {}: {}",
        "invalid value '{}' for {}: {}",
    ),
    ("det här saknas: {}", "the following are required: {}"),
    ("ange ett kommando: {}", "give a subcommand: {}"),
    (
        "{} kan inte ges tillsammans med {}",
        "{} cannot be used with {}",
    ),
    (
        "{} får bara ges en gång",
        "{} cannot be used multiple times",
    ),
    ("fel antal värden för {}", "wrong number of values for {}"),
    (
        "{} skrivs med '=' före värdet",
        "{} needs '=' before its value",
    ),
    (
        "ett argument är inte giltig UTF-8",
        "an argument is not valid UTF-8",
    ),
    ("\n\nAnvändning: {}", "\n\nUsage: {}"),
    (
        "\n\nMer hjälp: --help",
        "\n\nFor more information, try '--help'.",
    ),
    (
        "kan inte starta körningsmiljön: {}",
        "cannot start the async runtime: {}",
    ),
    // Amounts and dates as people write them
    ("{}; skriv {}", "{}; give {}"),
    (
        "ett belopp som 1 500,50 eller 1500.50 (gärna följt av kr)",
        "an amount such as 1 500,50 or 1500.50 (optionally followed by kr)",
    ),
    ("inget belopp", "no amount given"),
    (
        "mer än ett decimaltecken",
        "more than one decimal separator",
    ),
    ("inte ett belopp", "not an amount"),
    (
        "tre siffror efter tecknet kan vara tusental eller decimaler; skriv 1500 eller 1,50",
        "three digits after the separator could be thousands or decimals; write 1500 or 1,50",
    ),
    (
        "högst två decimaler (hela ören)",
        "at most two decimals (whole öre)",
    ),
    (
        "ett datum som 2026-12-02 eller 20261202",
        "a date such as 2026-12-02 or 20261202",
    ),
    ("inte ett datum; skriv {}", "not a date; give {}"),
    ("datumet finns inte; skriv {}", "no such date; give {}"),
    // Messages on standard error, and admin verify-ledger
    (
        "\nAnropet kan ha genomförts. Kör samma kommando igen med --request-id {} för att försöka igen utan att det registreras två gånger.",
        "\nThe call may have been applied. To retry it without recording it twice, run the same command with --request-id {}.",
    ),
    (
        "\nEn administratör (rollen admin) kan läsa in tabellen som saknas med `budgetrad-cli norms import FIL`; `budgetrad-cli norms list` visar de inlästa tabellerna, `budgetrad-cli norms status` dem som behövs nu och framöver.",
        "\nAn operator (role admin) can load the missing table with `budgetrad-cli norms import FILE`; `budgetrad-cli norms list` shows the tables loaded, `budgetrad-cli norms status` those needed now and ahead.",
    ),
    ("\nOrsak: {}", "\nReason: {}"),
    ("\nSe: {} {}", "\nSee: {} {}"),
    ("\nServern svarade: {}", "\nThe server said: {}"),
    ("(begäran)", "(request)"),
    ("{} nr {}", "{} no. {}"),
    (
        "månadsbeloppet till borgenärerna, som det angavs",
        "the monthly amount for creditors, as given",
    ),
    (
        "ingen sparad budget och inget belopp angivet",
        "no saved budget and no amount given",
    ),
    (
        "tillgängligt för borgenärer utan förtur = budgetens överskott − förtursskuldernas avtalade månadsbetalningar − månadens avbetalningar på hyresskuldsplaner, aldrig under noll (förtursskulder betalas först)",
        "available for non-priority creditors = the budget's surplus − the agreed monthly payments of the priority debts − the month's instalments of rent-arrears plans, never below zero (priority debts are paid first)",
    ),
    (
        "pro rata: andel = skuldens saldo ÷ summan av saldona × tillgängligt belopp, i hela ören så att andelarna summerar exakt",
        "pro rata: share = the debt's balance ÷ the sum of the balances × the amount available, in whole öre so that the shares add up exactly",
    ),
    ("angivet med --available", "given with --available"),
    ("{}, nyckel {}", "{}, key {}"),
    ("(ingen närmare uppgift)", "(no detail given)"),
    ("(inget skäl angivet)", "(no reason given)"),
    (
        ": servern har {} med det id:t",
        ": the server has {} with that id",
    ),
    ("Begäran godtogs inte:", "The request was not accepted:"),
    ("Detta finns redan: {}", "This already exists: {}"),
    (
        "Din token (från {}) har gått ut. Be en administratör om en ny.",
        "Your token (from {}) has expired. Ask an administrator for a new one.",
    ),
    (
        "Din token ger inte rätt till detta. Be en administratör om en token med rätt roll.",
        "Your token does not allow this. Ask an administrator for a token with the right role.",
    ),
    (
        "Din token saknar rollen för detta (behövs: {}). Be en administratör om en token med den rollen.",
        "Your token lacks the role for this (needed: {}). Ask an administrator for a token with that role.",
    ),
    ("Finns inte", "Not found"),
    (
        "Någon har ändrat hushållet efter den revision du angav. Hämta det igen med `budgetrad-cli households get ID`, gör om ändringen på det och uppdatera med den nya --revision.",
        "Someone changed this household after the revision you gave. Fetch it again with `budgetrad-cli households get ID`, redo your change on that, and update with the new --revision.",
    ),
    (
        "Når inte servern på {}. Är den igång, och stämmer --server (eller BUDGETRAD_SERVER)?",
        "Cannot reach the server at {}. Is it running, and is --server (or BUDGETRAD_SERVER) right?",
    ),
    (
        "Servern avböjde begäran ({}): {}",
        "The server refused the request ({}): {}",
    ),
    (
        "Servern godtog inte din token (från {}).\nGe en giltig token med --token eller BUDGETRAD_TOKEN, eller skriv den på en rad i en\nfil som --token-file eller BUDGETRAD_TOKEN_FILE anger (standard: budgetrad-admin.token,\nsom servern skriver med admin-token vid första starten).",
        "The server did not accept your token (from {}).\nGive a valid token with --token or BUDGETRAD_TOKEN, or put it on one line in a\nfile named by --token-file or BUDGETRAD_TOKEN_FILE (default: budgetrad-admin.token,\nwhich the server writes with the admin token on its first start).",
    ),
    (
        "Servern kan inte göra detta nu",
        "The server cannot do this now",
    ),
    (
        "Servern kan inte läsa sin tokenfil nu och godtar därför ingen token alls.\nSäg till serverns driftansvariga; din token är inte felet.",
        "The server cannot read its token file now, so it accepts no token at all.\nTell the server's operator; your token is not at fault.",
    ),
    (
        "Servern kunde inte hantera begäran. Driftansvariga hittar orsaken i serverns logg.",
        "The server failed to handle the request. The operator can find the cause in the server's log.",
    ),
    (
        "Servern på {} har inte detta anrop (är den en äldre version?).",
        "The server at {} does not offer this call (is it an older version?).",
    ),
    (
        "Servern på {} svarade inte i tid. Försök igen; händer det igen, säg till driftansvariga.",
        "The server at {} did not answer in time. Try again; if it keeps happening, tell the operator.",
    ),
    (
        "Servern är upptagen eller begäran är för stor: {}",
        "The server is busy or the request is too large: {}",
    ),
    ("resurs", "resource"),
    ("inget hushåll", "no household"),
    ("inget hyreskontrakt", "no lease"),
    ("ingen skuld", "no debt"),
    ("ingen budget", "no budget"),
    ("ingen normtabell", "no norm table"),
    ("ingen underrättelse", "no eviction notice"),
    ("ingen betalningsomgång", "no payment batch"),
    ("ingen avbetalningsplan", "no rent payment plan"),
    ("ingen utbetalning", "no rent payout"),
    ("ingen hyresvärd", "no landlord"),
    ("ingen {}", "no {}"),
    (
        "servern gav samma sidtoken två gånger; slutade för att inte hamna i en slinga",
        "the server returned the same page token twice; stopped to avoid a loop",
    ),
    (
        "serverns svar saknar utfall",
        "the server's answer has no outcome",
    ),
    ("serverns svar saknar {}", "the server's answer has no {}"),
    (
        "kan inte skriva svaret som JSON: {}",
        "cannot write the response as JSON: {}",
    ),
    ("kan inte skriva utdata: {}", "cannot write the output: {}"),
    (
        "Ge en token med --token eller BUDGETRAD_TOKEN, eller ange en fil med den på en rad med --token-file eller BUDGETRAD_TOKEN_FILE. Servern skriver sin admin-token till budgetrad-admin.token i sin arbetskatalog vid första starten.",
        "Give a token with --token or BUDGETRAD_TOKEN, or name a file holding it on one line with --token-file or BUDGETRAD_TOKEN_FILE. The server writes its admin token to budgetrad-admin.token in its working directory on its first start.",
    ),
    (
        "Ingen token: --token och BUDGETRAD_TOKEN är inte satta, och {} {} kan inte läsas ({}).\n{}",
        "No token: --token and BUDGETRAD_TOKEN are not set, and {} {} cannot be read ({}).\n{}",
    ),
    (
        "Ingen token: tokenfilen {} är tom.\n{}",
        "No token: the token file {} is empty.\n{}",
    ),
    (
        "tokenfilen som --token-file / BUDGETRAD_TOKEN_FILE anger",
        "the token file named by --token-file / BUDGETRAD_TOKEN_FILE",
    ),
    ("standardtokenfilen", "the default token file"),
    ("filen {}", "the file {}"),
    (
        "Token från {} innehåller tecken som inte kan skickas i ett huvud (den ska vara en rad vanlig text).",
        "The token from {} contains characters that cannot be sent in a header (it should be one line of plain text).",
    ),
    (
        "Serveradressen \"{}\" ska börja med http:// eller https://, som http://127.0.0.1:50051.",
        "The server address \"{}\" must start with http:// or https://, such as http://127.0.0.1:50051.",
    ),
    (
        "Serveradressen \"{}\" är ingen giltig URL ({}); skriv den som http://127.0.0.1:50051.",
        "The server address \"{}\" is not a valid URL ({}); give it like http://127.0.0.1:50051.",
    ),
    (
        "En https://-server behöver --ca-cert (eller BUDGETRAD_CA_CERT): PEM-filen för den CA som har signerat dess certifikat.",
        "An https:// server needs --ca-cert (or BUDGETRAD_CA_CERT): the PEM file of the CA that signed its certificate.",
    ),
    (
        "Kan inte läsa CA-certifikatet {}: {}",
        "Cannot read the CA certificate {}: {}",
    ),
    (
        "Kan inte använda TLS mot {}: {}",
        "Cannot use TLS with {}: {}",
    ),
    (
        "inget personnummer på standard in",
        "no personnummer on standard input",
    ),
    (
        "kan inte läsa personnumret från standard in: {}",
        "cannot read the personnummer from standard input: {}",
    ),
    ("filen finns inte", "no such file"),
    ("åtkomst nekas", "permission denied"),
    ("filen finns redan", "the file already exists"),
    ("det är en katalog", "it is a directory"),
    ("inte UTF-8-text", "not UTF-8 text"),
    ("kan inte läsa {}: {}", "cannot read {}: {}"),
    ("kan inte skriva: {}", "cannot write: {}"),
    (
        "{}: filnamnet ska sluta på .toml eller .json",
        "{}: the file name must end in .toml or .json",
    ),
    (
        "{}: filen kan inte användas:{}",
        "{}: the file cannot be used:{}",
    ),
    ("rad {}: {}", "line {}: {}"),
    ("okänt fält {}", "unknown field {}"),
    (
        "okänt fält {}; fälten är {}",
        "unknown field {}; the fields are {}",
    ),
    ("fältet {} saknas", "missing field {}"),
    ("{} står två gånger", "{} is given twice"),
    (
        "okänt värde {}; möjliga: {}",
        "unknown value {}; allowed: {}",
    ),
    (
        "fel slags värde ({}); skriv {}",
        "a value of the wrong kind ({}); give {}",
    ),
    ("decimaltal ", "floating point "),
    ("heltal ", "integer "),
    ("text ", "string "),
    ("sant/falskt ", "boolean "),
    ("tabell", "map"),
    ("lista", "sequence"),
    (
        "ett belopp inom citattecken som \"1 500,50\" eller \"1500.50\" (eller ett heltal)",
        "an amount in quotes such as \"1 500,50\" or \"1500.50\" (or a whole number)",
    ),
    (
        "ett datum som \"2026-12-02\" eller \"20261202\"",
        "a date such as \"2026-12-02\" or \"20261202\"",
    ),
    (
        "ett datum utan klockslag, som 2026-03-01, inte {}",
        "a date without a time, such as 2026-03-01, not {}",
    ),
    (
        "filen anger {} men --household-id är {}",
        "the file names {} but --household-id is {}",
    ),
    (
        "filen gäller hushåll {}, inte {}",
        "the file is for household {}, not {}",
    ),
    (
        "filen anger revision {} men --revision är {}",
        "the file says revision {} but --revision is {}",
    ),
    (
        "servern ger ett nytt hushåll dess id; ta bort det",
        "the server assigns the id of a new household; remove it",
    ),
    (
        "ett nytt hushåll har ingen revision; ta bort den",
        "a new household has no revision; remove it",
    ),
    (
        "medlems-id hör till sparade hushåll; ta bort det",
        "member ids belong to saved households; remove it",
    ),
    (
        "en sparad budget använder det sparade hushållets medlemmar; ta bort [[members]]-tabellerna (eller använd `budget calculate`)",
        "a saved budget uses the saved household's members; remove the [[members]] tables (or use `budget calculate`)",
    ),
    (
        "ange antingen household_id (eller --household-id) eller [[members]]",
        "give either a household_id (or --household-id) or the [[members]]",
    ),
    (
        "ange antingen household_id eller [[members]], inte båda",
        "give either a household_id or [[members]], not both",
    ),
    (
        "ange household_id (eller --household-id) eller lista [[members]]",
        "give a household_id (or --household-id) or list the [[members]]",
    ),
    (
        "med household_id anges barnet med member_id",
        "with a household_id, name the child by member_id",
    ),
    (
        "ingen medlem med detta index (från 0) i [[members]]",
        "no member with this index (0-based) in [[members]]",
    ),
    (
        "ange member_id (med household_id) eller member_index (med [[members]]), ett av dem",
        "give member_id (with household_id) or member_index (with [[members]]), one of the two",
    ),
    ("bara för skuldsanering", "only for skuldsanering"),
    (
        "krävs: nettoinkomsten per månad",
        "required: the net income a month",
    ),
    (
        "`rows` ska vara en tabell med nyckel = \"värde\"",
        "`rows` must be a table of key = \"value\"",
    ),
    (
        "raden \"{}\" står två gånger",
        "the row \"{}\" is given twice",
    ),
    (
        "ett radvärde som decimaltal inom citattecken, som \"4390\" eller \"2.25\", eller en tabell med rader",
        "a row value as a quoted decimal string such as \"4390\" or \"2.25\", or a table of rows",
    ),
    (
        "ett radvärde ska vara ett decimaltal inom citattecken, inte ett datum",
        "a row value must be a quoted decimal string, not a date",
    ),
    (
        "ange , eller ; (eller comma, semicolon)",
        "give , or ; (or comma, semicolon)",
    ),
    ("rad 1: {}", "line 1: {}"),
    (
        "okänd kolumn \"{}\"; kolumnerna är {} (åtskilda med , eller ;)",
        "unknown column \"{}\"; the columns are {} (separated by , or ;)",
    ),
    (
        "kolumnen \"{}\" står två gånger",
        "the column \"{}\" appears twice",
    ),
    (
        "kolumnen \"{}\" saknas; kolumnerna är {}",
        "missing column \"{}\"; the columns are {}",
    ),
    (
        "en kolumn saknas: ange \"{}\"; kolumnerna är {}",
        "missing column: give \"{}\"; the columns are {}",
    ),
    ("\" eller \"", "\" or \""),
    (
        "ange --household ID eller --person PERSONNUMMER",
        "give --household ID or --person PERSONNUMMER",
    ),
    (
        "ange `one …` eller både --in FIL och --out FIL",
        "give `one …` or both --in FILE and --out FILE",
    ),
    ("rad {}, as_of: {}", "line {}, as_of: {}"),
    (
        "{} av {} rader misslyckades; kolumnen error i {} säger varför",
        "{} of {} rows failed; the error column of {} says why",
    ),
    (
        "Hashkedjorna stämmer: ingen post är ändrad.\n",
        "The hash chains match: no record was changed.\n",
    ),
    (
        "AVVIKELSE: första posten som inte stämmer är {} {}: {}.\n",
        "MISMATCH: the first record that does not match is {} {}: {}.\n",
    ),
    (
        "Reskontraposter kontrollerade: {} (i {} hyreskontrakts kedjor)\n",
        "Ledger entries checked: {} (in the chains of {} leases)\n",
    ),
    (
        "Loggposter kontrollerade: {} (ännu inte förseglade: {})\n",
        "Audit events checked: {} (not yet sealed: {})\n",
    ),
    (
        "Reskontrans rotsumma (spara den utanför databasen): {}\n",
        "The ledger's root hash (keep it outside the database): {}\n",
    ),
    (
        "Loggkedjans sista hash: {}\n",
        "The audit chain's last hash: {}\n",
    ),
    ("utbetalning", "payout"),
    ("återföring", "reversal"),
    ("kvitto", "receipt"),
    ("loggpost", "audit event"),
    ("okänd post", "unknown record"),
    (
        "innehållet ger inte längre den hash som sparades",
        "its content no longer gives the hash that was stored",
    ),
    (
        "posten finns i kedjan men är borttagen",
        "the record is in the chain but was deleted",
    ),
    (
        "posten saknas i kedjan",
        "the record is missing from the chain",
    ),
    (
        "länken pekar inte på länken före den",
        "the link does not point to the link before it",
    ),
    ("okänd avvikelse", "unknown mismatch"),
    (
        "reskontran eller loggen stämmer inte med sin hashkedja",
        "the ledger or the audit trail does not match its hash chain",
    ),
    // documents
    (
        "{} behöver --case FIL (ärendefilen)",
        "{} needs --case FILE (the case file)",
    ),
    (
        "ange --out FIL.pdf eller --out-dir KATALOG",
        "give --out FILE.pdf or --out-dir DIR",
    ),
    (
        "Rapporten (tolv månader, PDF/A-2b) skriven till {}, dokument-id {}",
        "The report (twelve months, PDF/A-2b) written to {}, document id {}",
    ),
    (
        "Skrev {} ({} brev i A4, PDF/A-2b), dokument-id {}",
        "Wrote {} ({} letters on A4, PDF/A-2b), document id {}",
    ),
    (
        "; innehåller PRELIMINÄRA belopp",
        "; holds PROVISIONAL amounts",
    ),
    (
        "--out-dir skriver brev av slaget creditor-request eller creditor-offer",
        "--out-dir writes creditor-request or creditor-offer letters",
    ),
    ("{} brev i {}", "{} letters in {}"),
];
