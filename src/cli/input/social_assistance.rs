//! Social-assistance files: `social-assistance`.

use crate::cli::names::words::w;
use std::path::Path;

use serde::Deserialize;

use super::lines::{CostInput, IncomeInput, MemberInput, calculation_members};
use super::{AmountText, InputError, Problem, finish, household_choice};
use crate::pb;

/// Long help of `social-assistance`.
pub const SOCIAL_ASSISTANCE_FORMAT: &str = "\
SOCIAL ASSISTANCE FILE (.toml or .json; see examples/social-assistance.toml)

month = \"2026-03\"            # the month the assistance is for
household_id = \"…\"           # a saved household, or leave it out and list [[members]]
rent_cap = \"9500\"            # the municipality's cap on accepted housing cost (optional)

[[costs]]                    # reasonable costs, paid at their actual amount
kind = \"rent\"                # rent | household_electricity | work_travel | home_insurance |
                             # union_and_unemployment_fund | childcare
amount = \"7900\"
frequency = \"monthly\"
description = \"hyra\"         # optional

Incomes as [[incomes]] tables, as in a budget file (see below).";

// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocialAssistanceFile {
    pub month: String,
    #[serde(default)]
    pub household_id: Option<String>,
    #[serde(default)]
    pub rent_cap: Option<AmountText>,
    #[serde(default)]
    pub members: Vec<MemberInput>,
    #[serde(default)]
    pub costs: Vec<CostInput>,
    #[serde(default)]
    pub incomes: Vec<IncomeInput>,
}

impl SocialAssistanceFile {
    /// The request of `social-assistance FILE [--household-id ID]`. The
    /// service reads members either from a saved household or from the
    /// request; a file giving both is refused, since one list would be
    /// ignored without the counsellor knowing which.
    pub fn request(
        self,
        path: &Path,
        household_override: Option<String>,
    ) -> Result<pb::CalculateSocialAssistanceRequest, InputError> {
        let mut problems = Vec::new();
        let household_id = household_choice(self.household_id, household_override, &mut problems);
        if !household_id.is_empty() && !self.members.is_empty() {
            problems.push(Problem {
                field: "members".into(),
                description: w("ange antingen household_id eller [[members]], inte båda").into(),
            });
        }
        if household_id.is_empty() && self.members.is_empty() {
            problems.push(Problem {
                field: "members".into(),
                description: w("ange household_id (eller --household-id) eller lista [[members]]")
                    .into(),
            });
        }
        let members = calculation_members(self.members, &mut problems);
        let request = pb::CalculateSocialAssistanceRequest {
            month: self.month,
            household_id,
            members,
            costs: CostInput::all(self.costs),
            incomes: IncomeInput::all(self.incomes),
            rent_cap: self.rent_cap.and_then(AmountText::money),
        };
        finish(path, problems, request)
    }
}
