#!/usr/bin/env python3
"""External-client check: calls a running budgetrad server the way a municipality's
Python integration would, with stubs generated from proto/ at run time.

    python ci/python/check_server.py --target 127.0.0.1:50051 --token-file budgetrad-admin.token

Needs the packages in ci/python/requirements.txt. Prints one line per check and closes with
`python-client: N passed, M failed`; exits 1 when any check failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import subprocess
import sys
import tempfile
import traceback
import uuid
from decimal import Decimal
from pathlib import Path

import grpc

REPO = Path(__file__).resolve().parents[2]
DEADLINE = 10.0  # seconds, for every call
SERVICE = "budgetrad.v1.BudgetService"


class CheckFailed(Exception):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def expect_eq(what: str, actual, expected) -> None:
    if actual != expected:
        raise CheckFailed(f"{what}: expected {expected!r}, got {actual!r}")


def expect_code(err: grpc.Call, expected: grpc.StatusCode) -> None:
    if err.code() != expected:
        raise CheckFailed(f"expected {expected.name}, got {err.code().name}: {err.details()!r}")


def generate_stubs(proto_dir: Path, out_dir: Path) -> None:
    """Runs grpcio-tools' protoc over every .proto under proto_dir into out_dir."""
    import grpc_tools

    files = sorted(str(p) for p in proto_dir.rglob("*.proto"))
    if not files:
        raise CheckFailed(f"no .proto files under {proto_dir}")
    well_known = Path(grpc_tools.__file__).parent / "_proto"  # google/protobuf/*.proto
    cmd = [
        sys.executable, "-m", "grpc_tools.protoc",
        f"-I{proto_dir}", f"-I{well_known}",
        f"--python_out={out_dir}", f"--grpc_python_out={out_dir}",
        *files,
    ]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        raise CheckFailed(f"protoc exited {run.returncode}: {run.stderr.strip()}")


class Checks:
    def __init__(self, channel: grpc.Channel, token: str, stubs: dict):
        self.channel = channel
        self.auth = (("authorization", f"Bearer {token}"),)
        self.pb = stubs["budget_pb2"]
        self.common_pb = stubs["common_pb2"]
        self.household_pb = stubs["household_pb2"]
        self.stub = stubs["budget_pb2_grpc"].BudgetServiceStub(channel)
        self.debt_pb = stubs["debt_pb2"]
        self.debts = stubs["debt_pb2_grpc"].DebtServiceStub(channel)
        self.rent_pb = stubs["rent_pb2"]
        self.rent = stubs["rent_pb2_grpc"].RentPlanServiceStub(channel)
        self.payout_pb = stubs["payout_pb2"]
        self.payouts = stubs["payout_pb2_grpc"].PayoutServiceStub(channel)
        self.households = stubs["household_pb2_grpc"].HouseholdServiceStub(channel)

    # -- helpers -------------------------------------------------------------

    def money(self, amount: str):
        return self.common_pb.Money(amount=amount)

    def member(self, role: str, age: int):
        h = self.household_pb
        return h.Member(role=h.MemberRole.Value(f"MEMBER_ROLE_{role}"), age=age)

    def small_budget(self, salary: str = "20000"):
        pb = self.pb
        monthly, weekly = self.common_pb.FREQUENCY_MONTHLY, self.common_pb.FREQUENCY_WEEKLY
        return pb.CalculateBudgetRequest(
            month="2026-03",
            members=[self.member("APPLICANT", 35)],
            incomes=[pb.Income(category=pb.INCOME_CATEGORY_SALARY, amount=self.money(salary),
                               frequency=monthly, description="lön")],
            expenses=[
                pb.Expense(category=pb.EXPENSE_CATEGORY_RENT, amount=self.money("8000"),
                           frequency=monthly, description="hyra"),
                pb.Expense(category=pb.EXPENSE_CATEGORY_FOOD, amount=self.money("450"),
                           frequency=weekly, description="mat"),
            ],
        )

    def call_error(self, method, request, metadata) -> grpc.Call:
        try:
            response = method(request, timeout=DEADLINE, metadata=metadata)
        except grpc.RpcError as err:
            return err
        raise CheckFailed(f"expected an error, got OK: {str(response)[:200]!r}")

    # -- checks ----------------------------------------------------------------

    def health(self, service: str):
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        stub = health_pb2_grpc.HealthStub(self.channel)
        resp = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=DEADLINE)
        expect_eq(f"Health/Check({service!r}).status",
                  health_pb2.HealthCheckResponse.ServingStatus.Name(resp.status), "SERVING")

    def no_token_unauthenticated(self):
        err = self.call_error(self.stub.CalculateBudget, self.small_budget(), metadata=())
        expect_code(err, grpc.StatusCode.UNAUTHENTICATED)

    def wrong_token_unauthenticated(self):
        metadata = (("authorization", "Bearer not-a-real-token-0000000000000000"),)
        err = self.call_error(self.stub.CalculateBudget, self.small_budget(), metadata=metadata)
        expect_code(err, grpc.StatusCode.UNAUTHENTICATED)

    def calculate_budget(self):
        resp = self.stub.CalculateBudget(self.small_budget(), timeout=DEADLINE, metadata=self.auth)
        r = resp.result
        expect_eq("result.month", r.month, "2026-03")
        expect_eq("incomes[*].monthly_amount", [l.monthly_amount.amount for l in r.incomes],
                  ["20000.00"])
        expect_eq("expenses[*].monthly_amount", [l.monthly_amount.amount for l in r.expenses],
                  ["8000.00", "1950.00"])
        expect_eq("total_income", r.total_income.amount, "20000.00")
        expect_eq("total_expenses", r.total_expenses.amount, "9950.00")
        expect_eq("surplus", r.surplus.amount, "10050.00")
        weekly = r.expenses[1].basis
        expect(weekly.arithmetic != "", "expenses[1].basis.arithmetic is empty (docs/sources.md §9)")

    def malformed_money_bad_request(self):
        from google.rpc import error_details_pb2
        from grpc_status import rpc_status

        err = self.call_error(self.stub.CalculateBudget, self.small_budget(salary="1e3"),
                              metadata=self.auth)
        expect_code(err, grpc.StatusCode.INVALID_ARGUMENT)
        status = rpc_status.from_call(err)
        expect(status is not None, "no grpc-status-details-bin trailer (google.rpc.Status) sent")
        fields = []
        for detail in status.details:
            if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad_request = error_details_pb2.BadRequest()
                detail.Unpack(bad_request)
                fields += [v.field for v in bad_request.field_violations]
        kinds = [d.type_url for d in status.details]
        expect(fields, f"no google.rpc.BadRequest field violation among details {kinds}")
        expect("incomes[0].amount" in fields,
               f"BadRequest field violations {fields}, expected one for 'incomes[0].amount'")

    def social_assistance(self, month: str, members: list, expected_riksnorm: str):
        req = self.pb.CalculateSocialAssistanceRequest(month=month, members=members)
        resp = self.stub.CalculateSocialAssistance(req, timeout=DEADLINE, metadata=self.auth)
        expect_eq("riksnorm_total", resp.riksnorm_total.amount, expected_riksnorm)
        expect_eq("total_income", resp.total_income.amount, "0.00")
        expect_eq("total_need", resp.total_need.amount, expected_riksnorm)
        expect_eq("assistance", resp.assistance.amount, expected_riksnorm)
        units = sum(Decimal(u.total.amount) for u in resp.riksnorm_units)
        expect_eq("sum of riksnorm_units[*].total", units, Decimal(expected_riksnorm))

    def late_interest(self):
        req = self.debt_pb.CalculateLateInterestRequest(
            principal=self.money("10000"), from_date="2024-01-01", to_date="2024-01-30")
        resp = self.debts.CalculateLateInterest(req, timeout=DEADLINE, metadata=self.auth)
        expect_eq("days", resp.days, 30)
        expect_eq("periods[*].rate", [p.rate for p in resp.periods], ["12"])
        expect_eq("interest", resp.interest.amount, "98.63")

    def skuldsanering(self):
        d = self.debt_pb
        claims = [d.CreditorClaim(creditor_name=name, balance=self.money(balance))
                  for name, balance in (("Exempel Bank AB", "120000"),
                                        ("Exempel Kredit AB", "60000"),
                                        ("Exempel Finans AB", "20000"))]
        req = d.EstimateDebtRestructuringRequest(
            input=d.ProtectedAmountInput(month="2024-01", members=[self.member("APPLICANT", 45)],
                                         housing_cost=self.money("7000")),
            net_income=self.money("20000"), claims=claims)
        resp = self.debts.EstimateDebtRestructuring(req, timeout=DEADLINE, metadata=self.auth)
        expect_eq("monthly_payment", resp.monthly_payment.amount, "6410.00")
        expect_eq("protected_amount_with_buffer", resp.protected_amount_with_buffer.amount,
                  "13590.00")
        expect_eq("creditors[*].yearly[0]", [c.yearly[0].amount.amount for c in resp.creditors],
                  ["38160.00", "19080.00", "6360.00"])

    def rent_due_dates(self):
        for month, due in (("2025-03", "2025-02-28"), ("2025-06", "2025-05-30"),
                           ("2026-01", "2025-12-30")):
            resp = self.rent.GetRentDueDate(self.rent_pb.GetRentDueDateRequest(month=month),
                                            timeout=DEADLINE, metadata=self.auth)
            expect_eq(f"due_date of {month}", resp.due_date, due)

    def error_reason(self, err) -> str:
        from google.rpc import error_details_pb2
        from grpc_status import rpc_status

        status = rpc_status.from_call(err)
        expect(status is not None, "no grpc-status-details-bin trailer (google.rpc.Status) sent")
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                return info.reason
        raise CheckFailed(f"no google.rpc.ErrorInfo among {[d.type_url for d in status.details]}")

    def rent_payout(self):
        h, r, p = self.household_pb, self.rent_pb, self.payout_pb
        household = self.households.CreateHousehold(
            h.CreateHouseholdRequest(household=h.Household(
                case_reference="CI-PAYOUT",
                members=[h.Member(role=h.MEMBER_ROLE_APPLICANT, birth_date="1985-03-12",
                                  # synthetic: a valid check digit, no real person
                                  personal_identity_number="19850312-9010")])),
            timeout=DEADLINE, metadata=self.auth).household
        landlord = self.rent.CreateLandlord(
            r.CreateLandlordRequest(landlord=r.Landlord(
                name="Exempel Bostäder AB", organisation_number="556677-8899",
                bankgiro="5050-1055", requires_ocr=True)),
            timeout=DEADLINE, metadata=self.auth).landlord
        lease = self.rent.CreateLease(
            r.CreateLeaseRequest(lease=r.Lease(
                household_id=household.id, landlord_id=landlord.id, object_reference="CI-1",
                contract_type=r.CONTRACT_TYPE_FIRST_HAND),
                start_month="2025-01", monthly_rent=self.money("7900")),
            timeout=DEADLINE, metadata=self.auth).lease

        def payout(amount: str, kind=p.RENT_PAYMENT_KIND_RENT):
            return p.RecordRentPayoutRequest(
                request_id=str(uuid.uuid4()), lease_id=lease.id, rent_month="2026-01",
                kind=kind, amount=self.money(amount),
                decision_reference="BESLUT-CI-1", ocr_reference="1234574",
                payout_date=datetime.date.today().isoformat())

        first = payout("7900")
        paid = self.payouts.RecordRentPayout(first, timeout=DEADLINE, metadata=self.auth).payout
        expect_eq("payout.amount", paid.amount.amount, "7900.00")
        expect_eq("payout.payee_bankgiro", paid.payee_bankgiro, "50501055")
        again = self.payouts.RecordRentPayout(first, timeout=DEADLINE, metadata=self.auth).payout
        expect_eq("the retried payout's id", again.id, paid.id)
        err = self.call_error(self.payouts.RecordRentPayout, payout("0.01"), metadata=self.auth)
        expect_code(err, grpc.StatusCode.FAILED_PRECONDITION)
        expect_eq("ErrorInfo.reason", self.error_reason(err), "PAYOUT_EXCEEDS_RENT")
        # No plan and no hyresskuld on the lease: an arrears payout has
        # nothing to pay.
        err = self.call_error(self.payouts.RecordRentPayout,
                              payout("1000", p.RENT_PAYMENT_KIND_ARREARS), metadata=self.auth)
        expect_code(err, grpc.StatusCode.FAILED_PRECONDITION)
        expect_eq("ErrorInfo.reason", self.error_reason(err), "NO_OPEN_ARREARS")
        listed = self.payouts.ListRentPayouts(p.ListRentPayoutsRequest(household_id=household.id),
                                              timeout=DEADLINE, metadata=self.auth).payouts
        expect_eq("payouts listed", [x.id for x in listed], [paid.id])

    def reflection(self):
        from google.protobuf.descriptor_pool import DescriptorPool
        from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
            ProtoReflectionDescriptorDatabase,
        )

        db = ProtoReflectionDescriptorDatabase(self.channel)
        services = list(db.get_services())
        expect(SERVICE in services, f"{SERVICE} not among reflected services {services}")
        pool = DescriptorPool(db)
        methods = {m.name for m in pool.FindServiceByName(SERVICE).methods}
        for name in ("CalculateBudget", "CalculateSocialAssistance"):
            expect(name in methods, f"{SERVICE} over reflection lacks {name}: {sorted(methods)}")

    def reflection_error_details(self):
        from google.protobuf.descriptor_pool import DescriptorPool
        from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
            ProtoReflectionDescriptorDatabase,
        )

        pool = DescriptorPool(ProtoReflectionDescriptorDatabase(self.channel))
        try:
            pool.FindMessageTypeByName("google.rpc.BadRequest")
        except KeyError as err:
            raise CheckFailed(f"google.rpc.BadRequest not resolvable over reflection: {err}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", required=True, help="host:port of a running server")
    parser.add_argument("--token-file", required=True, type=Path,
                        help="file holding a bearer token secret (one line)")
    parser.add_argument("--proto-dir", type=Path, default=REPO / "proto")
    args = parser.parse_args()

    passed = failed = 0

    def check(name: str, fn, *fn_args) -> None:
        nonlocal passed, failed
        try:
            fn(*fn_args)
        except CheckFailed as err:
            failed += 1
            print(f"FAIL {name}: {err}", flush=True)
        except grpc.RpcError as err:
            failed += 1
            print(f"FAIL {name}: RPC failed with {err.code().name}: {err.details()!r}", flush=True)
        except Exception as err:  # a bug here or an unusable response: still one line
            failed += 1
            where = traceback.extract_tb(err.__traceback__)[-1]
            print(f"FAIL {name}: {type(err).__name__}: {err} (at line {where.lineno})",
                  flush=True)
        else:
            passed += 1
            print(f"ok   {name}", flush=True)

    def finish() -> int:
        print(f"python-client: {passed} passed, {failed} failed", flush=True)
        return 0 if failed == 0 and passed > 0 else 1

    try:
        token = args.token_file.read_text().strip()
    except OSError as err:
        print(f"cannot read --token-file: {err}", file=sys.stderr)
        return 2
    if not token:
        print(f"--token-file {args.token_file} is empty", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="budgetrad-stubs-") as stubs:
        check(f"generate stubs from {args.proto_dir} with grpc_tools.protoc",
              generate_stubs, args.proto_dir, Path(stubs))
        if failed:
            return finish()
        sys.path.insert(0, stubs)
        modules = ("budget_pb2", "budget_pb2_grpc", "common_pb2", "household_pb2",
                   "household_pb2_grpc", "debt_pb2", "debt_pb2_grpc", "rent_pb2",
                   "rent_pb2_grpc", "payout_pb2", "payout_pb2_grpc")
        stubs = {name: importlib.import_module(f"budgetrad.v1.{name}") for name in modules}

        with grpc.insecure_channel(args.target) as channel:
            c = Checks(channel, token, stubs)
            m = c.member
            check("health: overall service '' is SERVING", c.health, "")
            check(f"health: {SERVICE} is SERVING", c.health, SERVICE)
            check("CalculateBudget without a token: UNAUTHENTICATED", c.no_token_unauthenticated)
            check("CalculateBudget with an unknown token: UNAUTHENTICATED",
                  c.wrong_token_unauthenticated)
            check("CalculateBudget: salary 20000/month, rent 8000/month, food 450/week "
                  "-> 20000.00 - 9950.00 = 10050.00", c.calculate_budget)
            check("CalculateBudget with amount '1e3': INVALID_ARGUMENT, BadRequest "
                  "names incomes[0].amount", c.malformed_money_bad_request)
            check("CalculateSocialAssistance 2024-03, sambor + children 4 and 12: 15970.00",
                  c.social_assistance, "2024-03",
                  [m("APPLICANT", 35), m("PARTNER", 33), m("CHILD", 4), m("CHILD", 12)],
                  "15970.00")
            check("CalculateSocialAssistance 2026-03, ensamstående: 5220.00",
                  c.social_assistance, "2026-03", [m("APPLICANT", 40)], "5220.00")
            check("CalculateSocialAssistance 2026-03, sambor: 8510.00",
                  c.social_assistance, "2026-03", [m("APPLICANT", 40), m("PARTNER", 38)],
                  "8510.00")
            check("CalculateLateInterest: 10 000 kr, 30 days in 2024-H1 at 12 %: 98.63",
                  c.late_interest)
            check("EstimateDebtRestructuring, worked example 6: förbehållsbelopp with buffer "
                  "13590.00, 6410.00 a month, 38160 / 19080 / 6360 a year", c.skuldsanering)
            check("GetRentDueDate: 2025-02-28, 2025-05-30, 2025-12-30 (JB 12:20)",
                  c.rent_due_dates)
            check("RecordRentPayout: 7900.00 to bankgiro 50501055, a retry returns the same "
                  "payout, one öre more is PAYOUT_EXCEEDS_RENT, arrears without any open are "
                  "NO_OPEN_ARREARS", c.rent_payout)
            check(f"reflection (v1alpha): lists {SERVICE} and resolves its methods",
                  c.reflection)
            check("reflection (v1alpha): resolves google.rpc.BadRequest",
                  c.reflection_error_details)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
