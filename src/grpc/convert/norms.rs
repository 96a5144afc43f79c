//! Norm tables: kinds and statuses, the table message both ways, and the
//! tables a result was computed from.

use std::collections::BTreeMap;

use super::{date, enum_value, timestamp};
use crate::domain::error::Violations;
use crate::domain::money::Money;
use crate::domain::norms::status::{Coverage, PeriodStatus};
use crate::domain::norms::{
    NormKind, NormTable, NormTableDraft, TableRef, TableStatus, row_label, row_position,
};
use crate::pb;

pub fn table_ref_to_pb(t: TableRef) -> pb::TableRef {
    pb::TableRef {
        table_id: t.id,
        version: t.version,
        status: status_to_pb(t.status) as i32,
        source: t.source,
    }
}

pub fn kind_to_pb(k: NormKind) -> pb::NormTableKind {
    match k {
        NormKind::Riksnorm => pb::NormTableKind::Riksnorm,
        NormKind::Normalbelopp => pb::NormTableKind::Normalbelopp,
        NormKind::Referensranta => pb::NormTableKind::Referensranta,
        NormKind::ReferenceCosts => pb::NormTableKind::ReferenceCosts,
    }
}

pub fn kind_from_pb(k: pb::NormTableKind) -> Option<NormKind> {
    match k {
        pb::NormTableKind::Unspecified => None,
        pb::NormTableKind::Riksnorm => Some(NormKind::Riksnorm),
        pb::NormTableKind::Normalbelopp => Some(NormKind::Normalbelopp),
        pb::NormTableKind::Referensranta => Some(NormKind::Referensranta),
        pb::NormTableKind::ReferenceCosts => Some(NormKind::ReferenceCosts),
    }
}

/// An optional kind filter: UNSPECIFIED means any.
pub fn kind_filter(field: &str, raw: i32, v: &mut Violations) -> Option<NormKind> {
    enum_value(field, raw, |k: pb::NormTableKind| Some(kind_from_pb(k)), v).flatten()
}

pub fn status_to_pb(s: TableStatus) -> pb::TableStatus {
    match s {
        TableStatus::Official => pb::TableStatus::Official,
        TableStatus::Provisional => pb::TableStatus::Provisional,
    }
}

pub fn norm_table_to_pb(t: &NormTable, with_rows: bool) -> pb::NormTable {
    let rows = if with_rows {
        let mut ordered: Vec<_> = t.rows.iter().collect();
        ordered.sort_by_key(|(key, _)| (row_position(t.kind, key), (*key).clone()));
        ordered
            .into_iter()
            .map(|(key, value)| {
                let mut value = *value;
                value.rescale(2);
                pb::NormTableRow {
                    key: key.clone(),
                    value: value.to_string(),
                    label: row_label(t.kind, key),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    pb::NormTable {
        id: t.id.clone(),
        kind: kind_to_pb(t.kind) as i32,
        valid_from: t.valid_from.to_string(),
        valid_to: t.valid_to.to_string(),
        status: status_to_pb(t.status) as i32,
        source: t.source.clone(),
        rows,
        version: t.version,
        loaded_by: t.loaded_by.clone(),
        load_time: Some(timestamp(t.loaded_at)),
    }
}

/// An operator's table. Row values are decimal strings: kronor for amounts,
/// percent for rates; the domain checks keys and ranges by kind.
pub fn norm_table_draft(
    path: &str,
    table: Option<&pb::NormTable>,
    v: &mut Violations,
) -> Option<NormTableDraft> {
    let Some(table) = table else {
        v.add(path, "REQUIRED", "required");
        return None;
    };
    let pb::NormTable {
        id,
        kind,
        valid_from,
        valid_to,
        status,
        source,
        rows,
        // Output only: ignored on input.
        version: _,
        loaded_by: _,
        load_time: _,
    } = table;
    let kind = enum_value(&format!("{path}.kind"), *kind, kind_from_pb, v);
    let status = enum_value(
        &format!("{path}.status"),
        *status,
        |s: pb::TableStatus| match s {
            pb::TableStatus::Unspecified => None,
            pb::TableStatus::Official => Some(TableStatus::Official),
            pb::TableStatus::Provisional => Some(TableStatus::Provisional),
        },
        v,
    );
    let valid_from = date(&format!("{path}.valid_from"), valid_from, v);
    let valid_to = date(&format!("{path}.valid_to"), valid_to, v);
    let mut parsed = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let pb::NormTableRow {
            key,
            value,
            label: _,
        } = row;
        let field = format!("{path}.rows[{i}]");
        if parsed.contains_key(key) {
            v.add(
                format!("{field}.key"),
                "DUPLICATE",
                "the same key is given twice",
            );
            continue;
        }
        // Rates may be negative (a referensränta has been); the domain
        // refuses negative amounts by kind.
        match Money::parse(value) {
            Ok(m) => {
                parsed.insert(key.clone(), m.as_decimal());
            }
            Err(e) => v.add(format!("{field}.value"), e.reason(), e.to_string()),
        }
    }
    Some(NormTableDraft {
        id: id.clone(),
        kind: kind?,
        valid_from: valid_from?,
        valid_to: valid_to?,
        status: status?,
        source: source.clone(),
        rows: parsed,
    })
}

pub fn tables_to_pb(tables: Vec<TableRef>) -> Vec<pb::TableRef> {
    tables.into_iter().map(table_ref_to_pb).collect()
}

/// A page token of the norm table list: the tables are few and cached, so
/// a token is an offset into the matching ones.
pub fn offset_token(field: &str, token: &str, v: &mut Violations) -> usize {
    if token.is_empty() {
        return 0;
    }
    v.check(
        field,
        "PAGE_TOKEN_INVALID",
        token
            .parse::<usize>()
            .map_err(|_| "not a page token from this service"),
    )
    .unwrap_or(0)
}

pub fn coverage_to_pb(c: Coverage) -> pb::NormCoverage {
    match c {
        Coverage::Official => pb::NormCoverage::Official,
        Coverage::Provisional => pb::NormCoverage::Provisional,
        Coverage::Missing => pb::NormCoverage::Missing,
    }
}

pub fn period_status_to_pb(s: &PeriodStatus) -> pb::NormPeriodStatus {
    pb::NormPeriodStatus {
        kind: kind_to_pb(s.period.kind) as i32,
        period: s.period.label.clone(),
        valid_from: s.period.from.to_string(),
        valid_to: s.period.to.to_string(),
        upcoming: s.period.upcoming,
        covered: s.coverage != Coverage::Missing,
        coverage: coverage_to_pb(s.coverage) as i32,
        table_ids: s.table_ids.clone(),
        warning: s.warning.clone(),
    }
}
