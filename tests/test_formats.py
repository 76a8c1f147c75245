"""SARIF 2.1.0 and JUnit XML from `check` and `diff`: valid against the official
SARIF schema (vendored in tests/data), located at the right lines, and read by
a real JUnit parser (junitparser)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml

from tests.test_diff import BASE, FOURTEEN, smallprint

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))

FLAWED = """\
record Order {
  cash_paid: Money
  fee: Money
  invariant not_negative: cash_paid >= $0 and fee >= $0
}

def refund(o: Order) -> Money = o.cash_paid - o.fee

rule big(o: Order)
  when o.cash_paid > $100
  when o.cash_paid > $200

property refund_never_negative: forall o: Order. refund(o) >= $0

test "refund is the cash less the fee" {
  given o = Order { cash_paid: US$15, fee: US$5 }
  expect refund(o) == US$11
}
"""


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def valid_sarif(out: str) -> dict[str, Any]:
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log  # type: ignore[no-any-return]


def where(result: dict[str, Any]) -> tuple[str, int]:
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    return loc["artifactLocation"]["uri"], loc["region"]["startLine"]


@pytest.fixture
def flawed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "orders.sp").write_text(FLAWED)
    monkeypatch.chdir(tmp_path)
    return "policy"


@pytest.fixture
def versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    for name, text in (("v1", BASE), ("v2", FOURTEEN)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "returns.sp").write_text(text)
    (tmp_path / ".git").mkdir()  # no smallprint.toml above this folder is read
    monkeypatch.chdir(tmp_path)
    return "v1", "v2"


# ---- check ------------------------------------------------------------------------------------


def test_check_sarif_validates_and_points_at_the_lines(
    flawed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = smallprint(capsys, "check", flawed, "--format", "sarif")
    assert code == 1
    log = valid_sarif(out)
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "smallprint"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path.cwd().resolve().as_uri() + "/"
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {
        "smallprint/test-failed",
        "smallprint/property-violated",
        "smallprint/lint-subsumed-clause",
    }
    assert where(results["smallprint/test-failed"]) == ("policy/orders.sp", line_of(FLAWED, "expect refund"))
    assert where(results["smallprint/property-violated"]) == (
        "policy/orders.sp",
        line_of(FLAWED, "property refund_never_negative"),
    )
    assert where(results["smallprint/lint-subsumed-clause"]) == ("policy/orders.sp", line_of(FLAWED, "$200"))
    assert results["smallprint/property-violated"]["level"] == "error"
    assert results["smallprint/lint-subsumed-clause"]["level"] == "warning"
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for r in run["results"]:
        assert rules[r["ruleIndex"]] == r["ruleId"]
    assert run["invocations"][0]["exitCode"] == 1


def test_check_junit_has_one_case_per_test_property_and_finding(
    flawed: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = smallprint(capsys, "check", flawed, "--format", "junit")
    assert code == 1
    report = tmp_path / "check.xml"
    report.write_text(out)
    xml = JUnitXml.fromfile(str(report))
    cases = {case.name: case for suite in xml for case in suite}
    assert set(cases) == {
        'test "refund is the cash less the fee"',
        "property refund_never_negative",
        f"subsumed_clause at policy/orders.sp:{line_of(FLAWED, '$200')}:3",
    }
    failed = {
        name for name, case in cases.items() if any(isinstance(r, Failure | Error) for r in case.result)
    }
    assert failed == {'test "refund is the cash less the fee"', "property refund_never_negative"}
    assert xml.tests == 3 and xml.failures == 2
    test_case = cases['test "refund is the cash less the fee"']
    assert "US$10.00" in (test_case.result[0].text or "")  # the actual value, for the dashboard


def test_check_on_a_clean_policy_has_no_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ok.sp").write_text(BASE)
    code, out, _ = smallprint(capsys, "check", str(tmp_path / "ok.sp"), "--format", "sarif")
    assert code == 0
    assert valid_sarif(out)["runs"][0]["results"] == []


# ---- diff ----------------------------------------------------------------------------------------


def test_diff_sarif_validates_and_points_at_the_rule(
    versions: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = smallprint(capsys, "diff", *versions, "--format", "sarif")
    assert code == 1
    run = valid_sarif(out)["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "smallprint/diff-narrowed" and result["level"] == "error"
    assert where(result) == ("v2/returns.sp", line_of(FOURTEEN, "rule can_return"))
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "v1/returns.sp"
    assert "today = " in result["message"]["text"]  # the witness
    assert result["partialFingerprints"] == {"smallprintSubject/v1": "smallprint/diff-narrowed:can_return"}
    assert run["invocations"][0]["exitCode"] == 1


def test_diff_sarif_suppresses_allowed_changes(
    versions: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "smallprint.toml").write_text(
        '[[allow]]\nrule = "can_return"\nchange = "narrowed"\nreason = "intended: Article 3 v2"\n'
    )
    code, out, _ = smallprint(capsys, "diff", *versions, "--format", "sarif")
    assert code == 0
    (result,) = valid_sarif(out)["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "external", "justification": "intended: Article 3 v2"}]
    assert result["level"] == "note"


def test_diff_junit_has_one_case_per_rule(
    versions: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = smallprint(capsys, "diff", *versions, "--format", "junit")
    assert code == 1
    report = tmp_path / "diff.xml"
    report.write_text(out)
    xml = JUnitXml.fromfile(str(report))
    cases = {case.name: case for suite in xml for case in suite}
    assert set(cases) == {
        "rule can_return",
        "rule express_refund",
        "rule paid_recently",
        "def refund",
        "def return_closes",
    }
    (failure,) = cases["rule can_return"].result
    assert isinstance(failure, Failure) and failure.type == "narrowed"
    assert all(not c.result for n, c in cases.items() if n != "rule can_return")
    assert xml.tests == 5 and xml.failures == 1
