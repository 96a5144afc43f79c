//! The words table is complete: every Swedish word the CLI's code prints
//! has its English row, and no row is left that no code prints. The words
//! are found in the source: the arguments of `w` and `wf`, the headers of
//! tables, the empty-list texts, and the labels of the label/value rows
//! that are handed to `wf`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::WORDS;
use super::messages::MESSAGES;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/cli is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path
                .file_name()
                .is_some_and(|n| n != "tests.rs" && n != "messages.rs")
        {
            out.push(path);
        }
    }
}

/// The string literal starting at `at` (a `"`): its text and where it ends.
fn literal(s: &str, at: usize) -> (String, usize) {
    let bytes = s.as_bytes();
    let mut i = at + 1;
    while bytes[i] != b'"' {
        if bytes[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    (
        s[at + 1..i].replace("\\n", "\n").replace("\\\"", "\""),
        i + 1,
    )
}

/// The text from `start` to the bracket that closes the one it is in, or
/// to a `;` outside brackets, skipping string literals.
fn span(s: &str, start: usize) -> &str {
    let bytes = s.as_bytes();
    let mut depth = 0i32;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = literal(s, i).1;
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth < 0 {
                    return &s[start..i];
                }
            }
            b';' if depth == 0 => return &s[start..i],
            _ => {}
        }
        i += 1;
    }
    &s[start..]
}

/// Every literal in `body`; with `tuples`, only those that open a tuple
/// (`("label", value)`), not a macro's or a function's first argument.
fn literals(body: &str, tuples: bool, found: &mut BTreeSet<String>) {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let (text, end) = literal(body, i);
            let before = body[..i].trim_end();
            let opens_tuple = before.ends_with('(')
                && !before[..before.len() - 1]
                    .ends_with(|c: char| c.is_alphanumeric() || c == '!' || c == '_');
            if !tuples || opens_tuple {
                found.insert(text);
            }
            i = end;
        } else {
            i += 1;
        }
    }
}

/// The Swedish words of one source file.
fn words_of(s: &str, found: &mut BTreeSet<String>) {
    // Calls: w("…"), wf("…", …), list_table(list, "…", …), totals_table(…, "…").
    for call in ["w(", "wf(", "list_table(", "totals_table::<"] {
        for (at, _) in s.match_indices(call) {
            let prev = s[..at].chars().last().unwrap_or(' ');
            if prev.is_alphanumeric() || prev == '_' {
                continue;
            }
            let body = span(s, at + call.len());
            let wanted = if call == "w(" || call == "wf(" { 0 } else { 1 };
            let mut quoted = BTreeSet::new();
            let mut k = 0;
            let mut n = 0;
            let bytes = body.as_bytes();
            while k < bytes.len() {
                if bytes[k] == b'"' {
                    let (text, end) = literal(body, k);
                    if n == 0 && body[..k].matches(',').count() == wanted {
                        quoted.insert(text);
                    }
                    n += 1;
                    k = end;
                } else {
                    k += 1;
                }
            }
            found.extend(quoted);
        }
    }
    // Table headers and chosen labels: every literal in them.
    for marker in [
        "new_table(&[",
        "header = [",
        "header = vec![",
        "header.extend([",
        "header.push(",
        "surplus_label = match",
        "let line = if",
        "let unit = if",
    ] {
        for (at, _) in s.match_indices(marker) {
            literals(span(s, at + marker.len()), false, found);
        }
    }
    // Label/value rows handed to wf: the first element of each tuple.
    for marker in ["summary(&[", "lines.push(", "Some((\""] {
        for (at, _) in s.match_indices(marker) {
            let start = if marker == "Some((\"" {
                at + 5
            } else {
                at + marker.len()
            };
            literals(span(s, start), true, found);
        }
    }
    for marker in ["let lines", "let mut lines"] {
        for (at, _) in s.match_indices(marker) {
            if let Some(eq) = s[at..].find('=') {
                literals(span(s, at + eq + 1), true, found);
            }
        }
    }
}

#[test]
fn every_word_printed_has_its_english_row_and_every_row_is_printed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut found = BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a source file");
        if file.ends_with("names/words.rs") {
            // The table itself: only its own calls of w.
            let code = text.split("const WORDS").next().unwrap_or_default();
            let mut own = BTreeSet::new();
            words_of(code, &mut own);
            found.extend(own);
        } else {
            words_of(&text, &mut found);
        }
    }
    found.retain(|word| !word.is_empty() && word != "#" && word != "–");
    let table: BTreeSet<String> = WORDS
        .iter()
        .chain(MESSAGES)
        .map(|(sv, _)| (*sv).to_owned())
        .collect();
    let missing: Vec<&String> = found.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "words without an English row: {missing:#?}"
    );
    let unused: Vec<&String> = table.difference(&found).collect();
    assert!(unused.is_empty(), "rows no code prints: {unused:#?}");
    assert!(
        found.len() > 150,
        "the scan found the words: {}",
        found.len()
    );
}

#[test]
fn each_swedish_word_has_one_row_and_the_same_values() {
    let mut seen = BTreeSet::new();
    for (sv, en) in WORDS.iter().chain(MESSAGES) {
        assert!(seen.insert(*sv), "two rows for {sv:?}");
        assert_eq!(
            sv.matches("{}").count(),
            en.matches("{}").count(),
            "{sv:?} and {en:?} take different values"
        );
    }
}
