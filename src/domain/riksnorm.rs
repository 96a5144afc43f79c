//! The riksnorm för försörjningsstöd (socialtjänstförordningen 2025:468
//! 12 kap. 2–3 §§; before 2025-07-01 förordning 2001:937 2 kap. 1 §).
//!
//! Household norm = Σ personal costs of the members + gemensamma
//! hushållskostnader for the household size, where:
//! - the applicant alone counts as ensamstående, with a partner as sambor (one
//!   amount for the pair);
//! - a child counts by its age band on the first day of the month; the 19–20
//!   band only for children living at home, so a "child" of 21 or more is
//!   refused (register the person as another adult);
//! - a preschool child who eats lunch at school or preschool five days a week
//!   gets the "utan lunch" amount, where the year's table has one (for school
//!   ages the table has a single amount);
//! - a child living part time (växelvis boende) counts pro rata by days, while
//!   still counting as a person for the household size;
//! - above 7 persons, each extra person adds (cost for 7 − cost for 6);
//! - an adult living in the household without being the applicant's partner
//!   gets the ensamstående amount + the shared costs ÷ the number of members,
//!   as a norm unit of its own; the rest of the shared costs stay with the
//!   applicant's unit, so the units always add up to the household's norm.
//!
//! The authority rounds its amounts to 10 kr; the only rounding here is to
//! whole öre where an amount is divided (a pro-rata child, an equal share),
//! half away from zero.

use super::calendar::YearMonth;
use super::error::{DomainError, Violations};
use super::explain::{Basis, Line, sum_arithmetic};
use super::household::{Member, Role};
use super::money::{Money, Rounding};
use super::norms::{BeyondSeven, NormTable, beyond_seven, row_label};

/// One part of the household the norm is counted for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormUnit {
    pub label: String,
    pub member_indexes: Vec<usize>,
    pub lines: Vec<Line>,
    pub total: Money,
}

/// The riksnorm age band key of a child.
fn child_band(age: u32) -> Option<&'static str> {
    Some(match age {
        0 => "child_0",
        1..=2 => "child_1_2",
        3 => "child_3",
        4..=6 => "child_4_6",
        7..=10 => "child_7_10",
        11..=14 => "child_11_14",
        15..=18 => "child_15_18",
        19..=20 => "child_19_20",
        _ => return None,
    })
}

/// Computes the riksnorm units of a household for `month` from `table`.
/// `members_path` is the request path of the member list, for errors.
pub fn riksnorm(
    members: &[Member],
    month: YearMonth,
    table: &NormTable,
    members_path: &str,
) -> Result<Vec<NormUnit>, DomainError> {
    let first_day = month.first_day();
    let last_day = month.last_day();
    let mut violations = Violations::new();
    let mut ages = Vec::with_capacity(members.len());
    for (i, member) in members.iter().enumerate() {
        // A child born during the month counts from its first month (age 0).
        let age = member
            .age_on(first_day)
            .or_else(|| member.birth_date().filter(|b| *b <= last_day).map(|_| 0));
        match age {
            Some(age) => ages.push(age),
            None => {
                violations.add(
                    format!("{members_path}[{i}].birth_date"),
                    "NOT_BORN",
                    format!("the member is born after the month {month}"),
                );
                ages.push(0);
            }
        }
        if member.role == Role::Child && child_band(ages[i]).is_none() {
            violations.add(
                format!("{members_path}[{i}].role"), "CHILD_ONLY",
                "a child of 21 or more is not counted as a child in the riksnorm; register the person as OTHER_ADULT",
            );
        }
    }
    violations.finish(())?;

    let citation = table.citation();
    let persons = members.len();
    let (shared_total, shared_line) = shared_costs(table, persons, &citation)?;

    let mut main = NormUnit {
        label: "sökandens hushåll".to_owned(),
        member_indexes: Vec::new(),
        lines: Vec::new(),
        total: Money::ZERO,
    };
    let mut others: Vec<NormUnit> = Vec::new();

    let has_partner = members.iter().any(|m| m.role == Role::Partner);
    let adult_key = if has_partner {
        "cohabiting_pair"
    } else {
        "single_adult"
    };
    let adult_amount = table.amount(adult_key)?;
    main.lines.push(Line {
        label: if has_partner {
            "personliga kostnader, sambor/makar".to_owned()
        } else {
            "personliga kostnader, ensamstående".to_owned()
        },
        amount: adult_amount,
        basis: Basis::new(
            "riksnorm: personliga kostnader för vuxna",
            format!(
                "{citation}, {}: {}",
                row_label(table.kind, adult_key),
                adult_amount.display_kr()
            ),
            adult_amount.display_kr(),
        ),
    });

    for (i, member) in members.iter().enumerate() {
        match member.role {
            Role::Applicant | Role::Partner => main.member_indexes.push(i),
            Role::Child => {
                main.member_indexes.push(i);
                main.lines
                    .push(child_line(member, ages[i], i, table, &citation)?);
            }
            Role::OtherAdult => {
                let single = table.amount("single_adult")?;
                let share = shared_total
                    .mul_ratio(1, persons as i64)
                    .unwrap_or(Money::ZERO)
                    .round(Rounding::HalfAwayFromZeroOre);
                let lines = vec![
                    Line {
                        label: "personliga kostnader, ensamstående".to_owned(),
                        amount: single,
                        basis: Basis::new(
                            "riksnorm: vuxen i hushållet utan att vara sambo får ensamståendes personliga kostnader",
                            format!("{citation}, ensamstående: {}", single.display_kr()),
                            single.display_kr(),
                        ),
                    },
                    Line {
                        label: format!("andel av gemensamma hushållskostnader (1 av {persons})"),
                        amount: share,
                        basis: Basis::new(
                            "riksnorm: vuxen i hushållet utan att vara sambo får de gemensamma kostnaderna delat med antalet personer",
                            shared_line.basis.source.clone(),
                            format!(
                                "{} / {persons} = {}",
                                shared_total.display_kr(),
                                share.display_kr()
                            ),
                        ),
                    },
                ];
                others.push(finish_unit(
                    format!("annan vuxen i hushållet (medlem {})", i + 1),
                    vec![i],
                    lines,
                ));
            }
        }
    }

    // The applicant's unit keeps the shared costs not taken by other adults.
    let taken: Money = others.iter().map(|u| u.lines[1].amount).sum();
    if others.is_empty() {
        main.lines.push(shared_line);
    } else {
        let rest = shared_total - taken;
        main.lines.push(Line {
            label: format!(
                "gemensamma hushållskostnader, {persons} personer, utom andelar för {} annan vuxen",
                others.len()
            ),
            amount: rest,
            basis: Basis::new(
                shared_line.basis.rule.clone(),
                shared_line.basis.source.clone(),
                format!(
                    "{} − {} = {}",
                    shared_total.display_kr(),
                    others
                        .iter()
                        .map(|u| u.lines[1].amount.display_kr())
                        .collect::<Vec<_>>()
                        .join(" − "),
                    rest.display_kr()
                ),
            ),
        });
    }
    let main = finish_unit(main.label, main.member_indexes, main.lines);
    let mut units = vec![main];
    units.extend(others);
    Ok(units)
}

fn finish_unit(label: String, member_indexes: Vec<usize>, lines: Vec<Line>) -> NormUnit {
    let total = lines.iter().map(|l| l.amount).sum();
    NormUnit {
        label,
        member_indexes,
        lines,
        total,
    }
}

fn child_line(
    member: &Member,
    age: u32,
    index: usize,
    table: &NormTable,
    citation: &str,
) -> Result<Line, DomainError> {
    // child_band is Some: checked by the caller.
    let band = child_band(age).unwrap_or("child_19_20");
    let no_lunch_key = format!("{band}_no_lunch");
    let preschool_band = matches!(band, "child_0" | "child_1_2" | "child_3" | "child_4_6");
    let (key, lunch_note) = if member.lunch_at_school && preschool_band {
        (
            no_lunch_key.as_str(),
            ", äter lunch i förskola/skola 5 dagar i veckan",
        )
    } else {
        (band, "")
    };
    let full = table.amount(key)?;
    let label = row_label(table.kind, key);
    let source = format!("{citation}, {label}: {}", full.display_kr());
    let (amount, arithmetic, part_note) = match member.residence {
        Some(r) if r.days < r.period => {
            let exact = full
                .mul_ratio(i64::from(r.days), i64::from(r.period))
                .unwrap_or(Money::ZERO);
            let rounded = exact.round(Rounding::HalfAwayFromZeroOre);
            (
                rounded,
                format!(
                    "{} × {} / {} = {}",
                    full.display_kr(),
                    r.days,
                    r.period,
                    rounded.display_kr()
                ),
                format!(", bor här {} av {} dagar", r.days, r.period),
            )
        }
        _ => (full, full.display_kr(), String::new()),
    };
    Ok(Line {
        label: format!(
            "personliga kostnader, barn (medlem {}, {age} år{lunch_note}{part_note})",
            index + 1
        ),
        amount,
        basis: Basis::new(
            if part_note.is_empty() {
                "riksnorm: personliga kostnader för barn efter ålder"
            } else {
                "riksnorm: barn som bor växelvis räknas i proportion till dagarna i hushållet"
            },
            source,
            arithmetic,
        ),
    })
}

/// Gemensamma hushållskostnader for `persons`, with the rule for more than 7.
fn shared_costs(
    table: &NormTable,
    persons: usize,
    citation: &str,
) -> Result<(Money, Line), DomainError> {
    let label = format!("gemensamma hushållskostnader, {persons} personer");
    if persons <= 7 {
        let key = format!("shared_{persons}");
        let amount = table.amount(&key)?;
        return Ok((
            amount,
            Line {
                label,
                amount,
                basis: Basis::new(
                    "riksnorm: gemensamma hushållskostnader efter hushållets storlek",
                    format!(
                        "{citation}, {}: {}",
                        row_label(table.kind, &key),
                        amount.display_kr()
                    ),
                    amount.display_kr(),
                ),
            },
        ));
    }
    let seven = table.amount("shared_7")?;
    let six = table.amount("shared_6")?;
    let BeyondSeven {
        amount,
        rows,
        arithmetic,
    } = beyond_seven(seven, six, persons).ok_or_else(|| {
        DomainError::invalid("members", "TOO_LARGE", "too large to calculate with")
    })?;
    Ok((
        amount,
        Line {
            label,
            amount,
            basis: Basis::new(
                "riksnorm: över 7 personer läggs (kostnaden för 7 − kostnaden för 6) till för varje person utöver 7",
                format!("{citation}, {rows}"),
                arithmetic,
            ),
        },
    ))
}

/// The household's riksnorm: the sum of its units, as shown.
pub fn total(units: &[NormUnit]) -> (Money, String) {
    let totals: Vec<Money> = units.iter().map(|u| u.total).collect();
    (totals.iter().sum(), sum_arithmetic(&totals))
}
