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
display_name = \"Maria Berg\"    # how letters name the household (optional)

[postal_address]               # where letters go (optional)
care_of = \"Lindqvist\"          # c/o (optional)
street_address = \"Storgatan 12 B\"
postal_code = \"111 22\"
town = \"Exempelby\"

Then one [[members]] table per person (see below); given_name and
family_name are optional. Adults need a personal_identity_number. On update the member list replaces the stored one:
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
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub postal_address: Option<AddressInput>,
}

/// A postal address table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[serde(default)]
    pub care_of: String,
    #[serde(default)]
    pub street_address: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub town: String,
}

impl AddressInput {
    fn into_proto(self) -> pb::PostalAddress {
        pb::PostalAddress {
            care_of: self.care_of,
            street_address: self.street_address,
            postal_code: self.postal_code,
            town: self.town,
        }
    }
}

/// What a household file names besides its members.
struct Names {
    case_reference: Option<String>,
    display_name: Option<String>,
    postal_address: Option<AddressInput>,
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
        let names = self.names();
        let household = household(names, self.members, String::new(), 0);
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
        let names = self.names();
        let household = household(names, self.members, id, revision);
        finish(
            path,
            problems,
            pb::UpdateHouseholdRequest {
                household: Some(household),
            },
        )
    }
}

impl HouseholdFile {
    fn names(&self) -> Names {
        Names {
            case_reference: self.case_reference.clone(),
            display_name: self.display_name.clone(),
            postal_address: self.postal_address.clone(),
        }
    }
}

/// The household a file describes, with the id and revision its request
/// carries (none for a new household).
fn household(names: Names, members: Vec<MemberInput>, id: String, revision: i64) -> pb::Household {
    pb::Household {
        id,
        revision,
        case_reference: names.case_reference.unwrap_or_default(),
        members: MemberInput::all(members),
        display_name: names.display_name.unwrap_or_default(),
        postal_address: names.postal_address.map(AddressInput::into_proto),
        ..Default::default()
    }
}
