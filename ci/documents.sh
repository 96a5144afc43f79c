#!/usr/bin/env bash
# Renders one document of each kind from a worked case with the budgetrad-cli binary against a
# running server, and converts page 1 of each to PNG with poppler's pdftoppm, so that a picture
# of each is at hand: ci/documents.sh CLI_BINARY SERVER_URL TOKEN_FILE OUT_DIR
# (called by .ci/run with the release binaries; the case is synthetic).
set -euo pipefail
CLI=$1 SERVER=$2 TOKEN_FILE=$3 OUT=$4
mkdir -p "$OUT"
cli() { "$CLI" --server "$SERVER" --token-file "$TOKEN_FILE" "$@"; }
# The value of a top-level field of the JSON on stdin (`id`, or `members.0.id`).
field() {
    python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value[int(key)] if key.isdigit() else value[key]
print(value)' "$1"
}
CASE=$(mktemp -d /tmp/budgetrad-documents-case.XXXXXX)
trap 'rm -rf "$CASE"' EXIT
cat >"$CASE/household.toml" <<'TOML'
case_reference = "EXEMPEL-2026-0020"
display_name = "Maria Berg"

[postal_address]
care_of = "Lindqvist"
street_address = "Storgatan 12 B"
postal_code = "111 22"
town = "Exempelby"

[[members]]
role = "applicant"
personal_identity_number = "19640823-3234"
given_name = "Maria"
family_name = "Berg"

[[members]]
role = "child"
birth_date = "2016-05-01"
given_name = "Leo"
family_name = "Berg"
TOML
cat >"$CASE/budget.toml" <<'TOML'
month = "2026-11"

[[incomes]]
category = "salary"
amount = "15000"
frequency = "monthly"

[[expenses]]
category = "rent"
amount = "7900"
frequency = "monthly"

[[expenses]]
category = "food"
amount = "2163"
frequency = "monthly"
TOML
cat >"$CASE/social-assistance.toml" <<'TOML'
month = "2026-11"

[[costs]]
kind = "rent"
amount = "7900"
frequency = "monthly"
TOML
cat >"$CASE/skuldsanering.toml" <<'TOML'
month = "2026-11"
housing_cost = "7900"
net_income = "15000"
TOML

household=$(cli --json households create "$CASE/household.toml")
HOUSEHOLD=$(field id <<<"$household")
APPLICANT=$(field members.0.id <<<"$household")
BUDGET=$(cli --json budget save "$HOUSEHOLD" "$CASE/budget.toml" | field id)
add_debt() {
    cli --json debts add "$HOUSEHOLD" --debtor "$APPLICANT" --balance-date 2026-11-01 "$@" >/dev/null
}
add_debt --creditor "Exempel Bostäder AB" --org-number 5566778899 --kind rent \
    --balance 14350 --payment 2000 --reference "F-1801" \
    --creditor-street "Hyresgatan 1" --creditor-postal-code 11133 --creditor-town Exempelby
add_debt --creditor "Exempel Energi AB" --kind electricity --balance 3200 --payment 600 \
    --creditor-street "Box 500" --creditor-postal-code "222 11" --creditor-town Exempelby
add_debt --creditor "Centrala studiestödsnämnden" --kind csn --balance 30000 --reference "CSN-77" \
    --creditor-street "Box 7" --creditor-postal-code 85180 --creditor-town Sundsvall
add_debt --creditor "Exempel Snabblån AB" --kind sms_loan --balance 10000 --reference "SL-1234" \
    --creditor-care-of "Exempel Inkasso AB" --creditor-street "Box 99" --creditor-postal-code 11199 \
    --creditor-town Exempelby
LANDLORD=$(cli --json landlords add --name "Exempel Bostäder AB" --org-number 5566778899 \
    --bankgiro 5050-1055 | field id)
LEASE=$(cli --json leases add "$HOUSEHOLD" --landlord "$LANDLORD" --object "LGH-1101" \
    --type first_hand --start 2026-01 --rent 7900 | field id)
PLAN=$(cli --json plans create "$LEASE" --arrears 14350 --start 2026-12 --instalment 2000 | field id)

render() {
    local kind=$1
    shift
    cli documents "$kind" --household "$HOUSEHOLD" --date 2026-11-25 \
        --out "$OUT/$kind.pdf" --json "$OUT/$kind.json" "$@"
}
render budget-summary --budget "$BUDGET"
render social-assistance-calculation --case "$CASE/social-assistance.toml"
render debt-overview
render creditor-request
render creditor-offer
render rent-arrears-agreement --plan "$PLAN"
render skuldsanering-estimate --case "$CASE/skuldsanering.toml"
render monthly-binder-page --budget "$BUDGET" --plan "$PLAN"
cli documents creditor-offer --household "$HOUSEHOLD" --date 2026-11-25 --out-dir "$OUT/letters"
cli documents creditor-request --household "$HOUSEHOLD" --date 2026-11-25 --out-dir "$OUT/requests"
# The steering group's report (the bootstrap token holds the statistics role too); with one
# household every figure is a small cell, drawn as <5 without a bar.
cli follow-up 2026-11 --pdf "$OUT/monthly-follow-up-report.pdf" \
    --pdf-json "$OUT/monthly-follow-up-report.json" >/dev/null

if ! command -v pdftoppm >/dev/null; then
    echo "  pdftoppm missing: installing poppler-utils"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q poppler-utils >/dev/null
fi
for pdf in "$OUT"/*.pdf; do
    pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$pdf" "${pdf%.pdf}"
done
ls -l "$OUT"
