//! Norm table files: `norms import`, with rows that may be written as
//! TOML sub-tables.

use crate::cli::names::words::{w, wf};
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::{AmountText, DateText, Named};
use crate::pb;

/// Long help of `norms import`.
pub const NORM_TABLE_FORMAT: &str = "\
NORM TABLE FILE (.toml or .json; see examples/norm-table-riksnorm-2099-example.toml)

id = \"riksnorm-2027\"          # a–z, 0–9 and '-'
kind = \"riksnorm\"             # riksnorm | normalbelopp | referensranta | reference_costs
valid_from = \"2027-01-01\"     # both inclusive
valid_to = \"2027-12-31\"
status = \"official\"           # official | provisional
source = \"SFS 2026:123\"       # where the figures are printed

[rows]                        # key = \"value\": kronor, or percent for referensranta
child_0 = \"2500\"

Row keys by kind:
  riksnorm: child_0, child_1_2, child_3, child_4_6, child_7_10, child_11_14,
    child_15_18, child_19_20, single_adult, cohabiting_pair, shared_1 … shared_7;
    optional child_0_no_lunch, child_1_2_no_lunch, child_3_no_lunch, child_4_6_no_lunch
  normalbelopp: single_adult, cohabiting_pair, child_0_6, child_7_10, child_11_14,
    child_15_plus
  referensranta: referensranta
  reference_costs: \"<category>.<band>\", e.g. \"food.age_31_60\" or \"media.size_2\";
    a sub-table also works: [rows.food] age_31_60 = \"2400\"";

// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormTableFile {
    pub id: String,
    pub kind: Named<pb::NormTableKind>,
    pub valid_from: DateText,
    pub valid_to: DateText,
    pub status: Named<pb::TableStatus>,
    pub source: String,
    pub rows: Rows,
}

impl NormTableFile {
    /// The request of `norms import`. Output-only fields (version, loaded_by,
    /// load_time, row labels) are not part of the file.
    pub fn request(self) -> pb::ImportNormTableRequest {
        pb::ImportNormTableRequest {
            norm_table: Some(pb::NormTable {
                id: self.id,
                kind: self.kind.wire(),
                valid_from: self.valid_from.0,
                valid_to: self.valid_to.0,
                status: self.status.wire(),
                source: self.source,
                rows: self
                    .rows
                    .0
                    .into_iter()
                    .map(|(key, value)| pb::NormTableRow {
                        key,
                        value: value.0,
                        label: String::new(),
                    })
                    .collect(),
                ..Default::default()
            }),
        }
    }
}

/// The rows of a norm table, keyed as the service keys them. A TOML sub-table
/// is flattened with dots (`[rows.food] age_0 = "1"` is the row `food.age_0`),
/// because a reference-costs table is far easier to write that way than with
/// a quoted dotted key on every line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows(pub BTreeMap<String, AmountText>);

impl<'de> Deserialize<'de> for Rows {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut rows = BTreeMap::new();
        flatten(
            String::new(),
            RowValue::deserialize(deserializer)?,
            &mut rows,
        )
        .map_err(de::Error::custom)?;
        Ok(Rows(rows))
    }
}

enum RowValue {
    Value(AmountText),
    Table(Vec<(String, RowValue)>),
}

fn flatten(
    prefix: String,
    value: RowValue,
    rows: &mut BTreeMap<String, AmountText>,
) -> Result<(), String> {
    match value {
        RowValue::Value(v) => {
            if prefix.is_empty() {
                return Err(w("`rows` ska vara en tabell med nyckel = \"värde\"").into());
            }
            if rows.insert(prefix.clone(), v).is_some() {
                return Err(wf("raden \"{}\" står två gånger", &[&prefix]));
            }
        }
        RowValue::Table(entries) => {
            for (key, inner) in entries {
                let full = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(full, inner, rows)?;
            }
        }
    }
    Ok(())
}

struct RowVisitor;

impl<'de> Visitor<'de> for RowVisitor {
    type Value = RowValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(w("ett radvärde som decimaltal inom citattecken, som \"4390\" eller \"2.25\", eller en tabell med rader"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RowValue, E> {
        Ok(RowValue::Value(AmountText(v.to_owned())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RowValue, E> {
        Ok(RowValue::Value(AmountText(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RowValue, E> {
        Ok(RowValue::Value(AmountText(v.to_string())))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RowValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            // A bare TOML date arrives as a map under toml's private key.
            if key.starts_with("$__toml") {
                return Err(de::Error::custom(w(
                    "ett radvärde ska vara ett decimaltal inom citattecken, inte ett datum",
                )));
            }
            entries.push((key, map.next_value::<RowValue>()?));
        }
        Ok(RowValue::Table(entries))
    }
}

impl<'de> Deserialize<'de> for RowValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RowVisitor)
    }
}
