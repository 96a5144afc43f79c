//! `MONTHLY_FOLLOW_UP_REPORT`, månadsuppföljning for the steering group: the
//! last month's measures as a table, then a bar chart per measure over the
//! report's twelve months. The figures are the follow-up's own (the same
//! `FollowUpMeasure`s `ListMonthlyFollowUp` answers); a figure on fewer than
//! five cases arrives without its value and stands as `<5`, with no bar.
//! Each measure's exact definition travels in the data twin under its code.

use rust_decimal::Decimal;

use super::Context;
use crate::cli::names::measures::label;
use crate::documents::model::{Bar, Block, Chart, Document};
use crate::domain::calendar::{YearMonth, year_month_sv};
use crate::domain::money::Money;
use crate::pb;

/// What a small cell prints.
pub const SMALL: &str = "<5";

const MONTHS_SHORT: [&str; 12] = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// The report over `months` (oldest first, as `ListMonthlyFollowUp`
/// answers them); `unit` is the one unit asked for, or empty for all the
/// caller's units.
pub fn report(ctx: &Context<'_>, months: &[pb::MonthlyFollowUp], unit: &str) -> Document {
    let span = match (months.first(), months.last()) {
        (Some(first), Some(last)) => format!("{} – {}", month_text(first), month_text(last)),
        _ => String::new(),
    };
    let scope = if unit.is_empty() {
        "Rapporten omfattar hushållen i alla enheter som beställaren har behörighet till."
            .to_owned()
    } else {
        format!("Rapporten omfattar hushållen i enhet {unit}.")
    };
    let mut blocks = vec![
        Block::paragraph(format!("Månadsuppföljning {span}. {scope}")),
        Block::note(
            "Ett värde som bygger på färre än fem fall visas inte: det står som <5 och ritas \
             utan stapel. Varje måtts exakta definition står i datafilen (JSON) under måttets kod.",
        ),
    ];
    if let Some(last) = months.last() {
        blocks.push(Block::heading(format!(
            "Senaste månaden, {}",
            month_text(last)
        )));
        let rows = last
            .measures
            .iter()
            .map(|m| vec![label(m), shown(m)])
            .collect();
        blocks.push(Block::table(&["Mått", "Värde"], 1, rows));
    }
    blocks.push(Block::heading("Utvecklingen månad för månad"));
    blocks.push(Block::Charts {
        charts: charts(months),
    });
    ctx.statement(&format!("Månadsuppföljning {span}"), blocks, false)
}

fn month_text(m: &pb::MonthlyFollowUp) -> String {
    YearMonth::parse(&m.month)
        .map(year_month_sv)
        .unwrap_or_else(|| m.month.clone())
}

/// One chart per measure of the first month, in the service's order; a
/// month without the measure has no bar.
fn charts(months: &[pb::MonthlyFollowUp]) -> Vec<Chart> {
    let Some(first) = months.first() else {
        return Vec::new();
    };
    first
        .measures
        .iter()
        .map(|m| {
            let mut bars: Vec<Bar> = months
                .iter()
                .enumerate()
                .map(|(i, month)| {
                    let found = month
                        .measures
                        .iter()
                        .find(|x| x.code == m.code && x.dimension == m.dimension);
                    bar(&month.month, i == 0, found)
                })
                .collect();
            scale(&mut bars);
            Chart {
                title: label(m),
                code: m.code.clone(),
                dimension: m.dimension.clone(),
                unit: unit_word(m.kind).to_owned(),
                bars,
            }
        })
        .collect()
}

fn bar(month: &str, first: bool, m: Option<&pb::FollowUpMeasure>) -> Bar {
    let parsed = YearMonth::parse(month);
    let label = match parsed {
        Some(ym) => {
            let short = MONTHS_SHORT[(ym.month().clamp(1, 12) - 1) as usize];
            if first || ym.month() == 1 {
                format!("{short} {:02}", ym.year() % 100)
            } else {
                short.to_owned()
            }
        }
        None => month.to_owned(),
    };
    let (value, text) = match m {
        Some(m) if !m.suppressed => (Some(m.value.clone()), bar_text(m)),
        Some(_) => (None, SMALL.to_owned()),
        None => (None, "–".to_owned()),
    };
    Bar {
        month: month.to_owned(),
        label,
        value,
        text,
        percent: 0,
    }
}

/// Each bar's height in percent of the tallest (none for a chart of
/// zeros or small cells only).
fn scale(bars: &mut [Bar]) {
    let value = |b: &Bar| {
        b.value
            .as_deref()
            .and_then(|v| v.parse::<Decimal>().ok())
            .unwrap_or_default()
            .max(Decimal::ZERO)
    };
    let tallest = bars.iter().map(value).max().unwrap_or_default();
    if tallest.is_zero() {
        return;
    }
    for b in bars.iter_mut() {
        let share = value(b) * Decimal::ONE_HUNDRED / tallest;
        // 0..=100 after rounding, as the tallest is the maximum.
        b.percent = share.round().try_into().unwrap_or(0);
    }
}

/// A figure above its bar: as [`shown`], but kronor in whole kronor
/// without the unit ("2 405 762"), which the chart's title gives, so twelve
/// fit side by side; the exact amount is in the table and the twin.
fn bar_text(m: &pb::FollowUpMeasure) -> String {
    if m.kind == pb::FollowUpValueKind::Amount as i32
        && let Ok(value) = m.value.parse::<Decimal>()
    {
        let whole =
            value.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        return number_sv(&whole.trunc().to_string());
    }
    shown(m)
}

/// What a measure's figures are in.
fn unit_word(kind: i32) -> &'static str {
    match pb::FollowUpValueKind::try_from(kind) {
        Ok(pb::FollowUpValueKind::Amount) => "kr",
        Ok(pb::FollowUpValueKind::Days) => "dagar",
        Ok(pb::FollowUpValueKind::Months) => "månader",
        _ => "antal",
    }
}

/// A figure as printed: `<5`, kronor ("12 345,50 kr"), or a number with its
/// thousands grouped and a decimal comma ("1 204", "10,5").
pub fn shown(m: &pb::FollowUpMeasure) -> String {
    if m.suppressed {
        return SMALL.to_owned();
    }
    if m.kind == pb::FollowUpValueKind::Amount as i32 {
        return Money::parse(&m.value)
            .map(|a| a.display_sv())
            .unwrap_or_else(|_| m.value.clone());
    }
    number_sv(&m.value)
}

/// "1204.5" as "1 204,5" (no-break spaces); other text as it is.
fn number_sv(text: &str) -> String {
    const NBSP: char = '\u{a0}';
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return text.to_owned();
    }
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(NBSP);
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push(',');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(value: &str, suppressed: bool) -> pb::FollowUpMeasure {
        pb::FollowUpMeasure {
            code: "notices_received".to_owned(),
            kind: pb::FollowUpValueKind::Count as i32,
            suppressed,
            value: value.to_owned(),
            cases: if suppressed { 0 } else { 7 },
            ..Default::default()
        }
    }

    #[test]
    fn numbers_print_the_swedish_way() {
        assert_eq!(number_sv("1204"), "1\u{a0}204");
        assert_eq!(number_sv("1234567.25"), "1\u{a0}234\u{a0}567,25");
        assert_eq!(number_sv("10.5"), "10,5");
        assert_eq!(number_sv("999"), "999");
        assert_eq!(number_sv("-1000"), "-1\u{a0}000");
        assert_eq!(shown(&measure("", true)), "<5");
        let sum = pb::FollowUpMeasure {
            kind: pb::FollowUpValueKind::Amount as i32,
            ..measure("2405761.50", false)
        };
        assert_eq!(shown(&sum), "2\u{a0}405\u{a0}761,50\u{a0}kr");
        assert_eq!(bar_text(&sum), "2\u{a0}405\u{a0}762");
    }

    #[test]
    fn bars_scale_to_the_tallest_and_small_cells_have_none() {
        let mut bars = vec![
            bar("2026-12", true, Some(&measure("20", false))),
            bar("2027-01", false, Some(&measure("", true))),
            bar("2027-02", false, Some(&measure("5", false))),
            bar("2027-03", false, None),
        ];
        scale(&mut bars);
        let percents: Vec<u32> = bars.iter().map(|b| b.percent).collect();
        assert_eq!(percents, [100, 0, 25, 0]);
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["dec 26", "jan 27", "feb", "mar"]);
        assert_eq!(bars[1].text, "<5");
        assert_eq!(bars[1].value, None);
        assert_eq!(bars[3].text, "–");
    }
}
