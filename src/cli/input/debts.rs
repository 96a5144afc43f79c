//! Debt-case files: `protected-amount` (förbehållsbelopp) and
//! `skuldsanering`.

use crate::cli::names::words::w;
use std::path::Path;

use serde::Deserialize;

use super::lines::{MemberInput, calculation_members};
use super::{AmountText, InputError, Named, Problem, finish, household_choice};
use crate::pb;

/// Long help of `protected-amount` and `skuldsanering`.
pub const DEBT_CASE_FORMAT: &str = "\
DEBT CASE FILE (.toml or .json; see examples/skuldsanering.toml)

month = \"2026-03\"              # the normalbelopp table in force then is used
household_id = \"…\"             # a saved household, or leave it out and list [[members]]
housing_cost = \"7000\"          # rent a month
net_income = \"20000\"           # net income a month (required for skuldsanering)
buffer = \"500\"                 # skuldsanering only: at least 500 (the default)
years = 5                      # skuldsanering only: 1 to 10 (default 5)

[[child_support]]              # support a child receives, reducing its normalbelopp
member_id = \"…\"                # with household_id; or member_index = 0 (0-based) with [[members]]
barnbidrag = \"1250\"
underhallsstod = \"1673\"
studiebidrag = \"0\"

[[housing_allowances]]         # deducted from the housing cost
kind = \"bostadsbidrag\"         # bostadsbidrag | bostadstillagg | boendetillagg
amount = \"1200\"

[[additions]]                  # approved by Kronofogden
kind = \"work_travel\"           # work_travel | medicine_and_care | umgange | other
description = \"bil 12 mil\"
amount = \"300\"

[[claims]]                     # skuldsanering only; without claims, the household's open debts
creditor_name = \"Exempel Bank AB\"   # or debt_id = \"…\" for a registered debt
balance = \"120000\"

Members as [[members]] tables, as in a budget file.";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildSupportInput {
    #[serde(default)]
    pub member_id: Option<String>,
    #[serde(default)]
    pub member_index: Option<i32>,
    #[serde(default)]
    pub barnbidrag: Option<AmountText>,
    #[serde(default)]
    pub underhallsstod: Option<AmountText>,
    #[serde(default)]
    pub studiebidrag: Option<AmountText>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HousingAllowanceInput {
    pub kind: Named<pb::HousingAllowanceKind>,
    pub amount: AmountText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdditionInput {
    pub kind: Named<pb::AdditionKind>,
    #[serde(default)]
    pub description: String,
    pub amount: AmountText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    #[serde(default)]
    pub debt_id: Option<String>,
    #[serde(default)]
    pub creditor_name: Option<String>,
    #[serde(default)]
    pub balance: Option<AmountText>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebtCaseFile {
    pub month: String,
    #[serde(default)]
    pub household_id: Option<String>,
    #[serde(default)]
    pub members: Vec<MemberInput>,
    #[serde(default)]
    pub child_support: Vec<ChildSupportInput>,
    pub housing_cost: AmountText,
    #[serde(default)]
    pub housing_allowances: Vec<HousingAllowanceInput>,
    #[serde(default)]
    pub additions: Vec<AdditionInput>,
    #[serde(default)]
    pub net_income: Option<AmountText>,
    #[serde(default)]
    pub buffer: Option<AmountText>,
    #[serde(default)]
    pub years: Option<i32>,
    #[serde(default)]
    pub claims: Vec<ClaimInput>,
}

impl DebtCaseFile {
    /// The shared part, with the checks both commands make.
    fn input(
        self,
        household_override: Option<String>,
        problems: &mut Vec<Problem>,
    ) -> (pb::ProtectedAmountInput, Self) {
        let household_id =
            household_choice(self.household_id.clone(), household_override, problems);
        if household_id.is_empty() == self.members.is_empty() {
            problems.push(Problem {
                field: "members".into(),
                description: w(
                    "ange antingen household_id (eller --household-id) eller [[members]]",
                )
                .into(),
            });
        }
        let mut members = calculation_members(self.members.clone(), problems);
        // The service names a child by member id only: members listed in the
        // file get an id of this call, and a member_index in the file is sent
        // as the id of that member.
        for member in &mut members {
            member.id = uuid::Uuid::new_v4().to_string();
        }
        let child_support = self
            .child_support
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, c)| {
                let member_id = match (c.member_id, c.member_index) {
                    (Some(id), None) => id,
                    (None, Some(_)) if !household_id.is_empty() => {
                        problems.push(Problem {
                            field: format!("child_support[{i}].member_index"),
                            description: w("med household_id anges barnet med member_id").into(),
                        });
                        String::new()
                    }
                    (None, Some(index)) => usize::try_from(index)
                        .ok()
                        .and_then(|index| members.get(index))
                        .map(|m| m.id.clone())
                        .unwrap_or_else(|| {
                            problems.push(Problem {
                                field: format!("child_support[{i}].member_index"),
                                description: w("ingen medlem med detta index (från 0) i [[members]]")
                                    .into(),
                            });
                            String::new()
                        }),
                    (Some(_), Some(_)) | (None, None) => {
                        problems.push(Problem {
                            field: format!("child_support[{i}]"),
                            description: w("ange member_id (med household_id) eller member_index (med [[members]]), ett av dem")
                                .into(),
                        });
                        String::new()
                    }
                };
                pb::ChildSupport {
                    member_id,
                    barnbidrag: c.barnbidrag.and_then(AmountText::money),
                    underhallsstod: c.underhallsstod.and_then(AmountText::money),
                    studiebidrag: c.studiebidrag.and_then(AmountText::money),
                    ..Default::default()
                }
            })
            .collect();
        let input = pb::ProtectedAmountInput {
            month: self.month.clone(),
            household_id,
            members,
            child_support,
            housing_cost: self.housing_cost.clone().money(),
            housing_allowances: self
                .housing_allowances
                .iter()
                .cloned()
                .map(|a| pb::HousingAllowance {
                    kind: a.kind.wire(),
                    amount: a.amount.money(),
                })
                .collect(),
            additions: self
                .additions
                .iter()
                .cloned()
                .map(|a| pb::Addition {
                    kind: a.kind.wire(),
                    description: a.description,
                    amount: a.amount.money(),
                })
                .collect(),
        };
        (input, self)
    }

    /// The request of `protected-amount FILE`.
    pub fn protected_request(
        self,
        path: &Path,
        household_override: Option<String>,
    ) -> Result<pb::CalculateProtectedAmountRequest, InputError> {
        let mut problems = Vec::new();
        let (input, file) = self.input(household_override, &mut problems);
        for (set, field) in [
            (file.buffer.is_some(), "buffer"),
            (file.years.is_some(), "years"),
            (!file.claims.is_empty(), "claims"),
        ] {
            if set {
                problems.push(Problem {
                    field: field.into(),
                    description: w("bara för skuldsanering").into(),
                });
            }
        }
        let request = pb::CalculateProtectedAmountRequest {
            input: Some(input),
            net_income: file.net_income.and_then(AmountText::money),
        };
        finish(path, problems, request)
    }

    /// The request of `skuldsanering FILE`.
    pub fn restructuring_request(
        self,
        path: &Path,
        household_override: Option<String>,
    ) -> Result<pb::EstimateDebtRestructuringRequest, InputError> {
        let mut problems = Vec::new();
        let (input, file) = self.input(household_override, &mut problems);
        if file.net_income.is_none() {
            problems.push(Problem {
                field: "net_income".into(),
                description: w("krävs: nettoinkomsten per månad").into(),
            });
        }
        let request = pb::EstimateDebtRestructuringRequest {
            input: Some(input),
            net_income: file.net_income.and_then(AmountText::money),
            buffer: file.buffer.and_then(AmountText::money),
            years: file.years.unwrap_or_default(),
            claims: file
                .claims
                .into_iter()
                .map(|c| pb::CreditorClaim {
                    debt_id: c.debt_id.unwrap_or_default(),
                    creditor_name: c.creditor_name.unwrap_or_default(),
                    balance: c.balance.and_then(AmountText::money),
                })
                .collect(),
        };
        finish(path, problems, request)
    }
}
