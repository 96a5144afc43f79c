//! Household files: `households create` and `households update`.

use crate::cli::names::words::{w, wf};
use std::path::Path;

use serde::Deserialize;

use super::lines::MemberInput;
use super::{InputError, Problem, finish};
use crate::pb;

/// Long help of `households create` and `households update`.
pub const HOUSEHOLD_FORMAT: &str = "\
HOUSEHOLD FILE (.toml or .json; see examples/household.toml)

case_reference = \"2026-1234\"   # the municipality's own reference (optional)

Then one [[members]] table per person (see below). Adults need a
personal_identity_number. On update the member list replaces the stored one:
give `id = \"…\"` for a member to keep (as printed by `households get`), none for
a new member. The output of `--json households get ID` is accepted as an update
file; its id and revision must agree with the command line.";

// ---------------------------------------------------------------------------

/// A household file. `id`, `revision`, `create_time` and `update_time` are
/// output fields, accepted only so that the `--json` output of `households
/// get` can be edited and sent back as an update.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdFile {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub revision: Option<i64>,
    #[serde(default)]
    pub create_time: Option<String>,
    #[serde(default)]
    pub update_time: Option<String>,
    #[serde(default)]
    pub case_reference: Option<String>,
    #[serde(default)]
    pub members: Vec<MemberInput>,
}

impl HouseholdFile {
    /// The request of `households create`.
    pub fn create_request(self, path: &Path) -> Result<pb::CreateHouseholdRequest, InputError> {
        let mut problems = Vec::new();
        if self.id.as_deref().is_some_and(|id| !id.is_empty()) {
            problems.push(Problem {
                field: "id".into(),
                description: w("servern ger ett nytt hushåll dess id; ta bort det").into(),
            });
        }
        if self.revision.is_some_and(|r| r != 0) {
            problems.push(Problem {
                field: "revision".into(),
                description: w("ett nytt hushåll har ingen revision; ta bort den").into(),
            });
        }
        let household = household(self.case_reference, self.members, String::new(), 0);
        finish(
            path,
            problems,
            pb::CreateHouseholdRequest {
                household: Some(household),
            },
        )
    }

    /// The request of `households update ID FILE --revision N`.
    pub fn update_request(
        self,
        path: &Path,
        id: String,
        revision: i64,
    ) -> Result<pb::UpdateHouseholdRequest, InputError> {
        let mut problems = Vec::new();
        if let Some(file_id) = self.id.as_deref().filter(|s| !s.is_empty())
            && file_id != id
        {
            problems.push(Problem {
                field: "id".into(),
                description: wf("filen gäller hushåll {}, inte {}", &[&file_id, &id]),
            });
        }
        if let Some(file_revision) = self.revision
            && file_revision != revision
        {
            problems.push(Problem {
                field: "revision".into(),
                description: wf(
                    "filen anger revision {} men --revision är {}",
                    &[&file_revision, &revision],
                ),
            });
        }
        let household = household(self.case_reference, self.members, id, revision);
        finish(
            path,
            problems,
            pb::UpdateHouseholdRequest {
                household: Some(household),
            },
        )
    }
}

/// The household a file describes, with the id and revision its request
/// carries (none for a new household).
fn household(
    case_reference: Option<String>,
    members: Vec<MemberInput>,
    id: String,
    revision: i64,
) -> pb::Household {
    pb::Household {
        id,
        revision,
        case_reference: case_reference.unwrap_or_default(),
        members: MemberInput::all(members),
        ..Default::default()
    }
}
