"""The command line as a user meets it: exit codes, error rendering, JSON output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SPECS, run_cli

ORDER_SPEC = """\
enum Carrier { dhl, china_post }
record Order {
  shipped_at: Date?
  delivery_deadline: Date?
  cash_paid: Money
  carrier: Carrier
  invariant positive: cash_paid >= $0
}
def closes(o: Order) -> Date?
  when o.delivery_deadline is some(d) => d + 15 days
  otherwise => none
rule can_open(o: Order, today: Date)
  when o.shipped_at is some(s) and today >= s + 10 days and closes(o) is some(c) and today <= c
test "window" {
  given o = Order {
    shipped_at: 2020-05-01, delivery_deadline: 2020-05-24, cash_paid: US$15, carrier: Carrier.dhl
  }
  expect can_open(o, 2020-05-11)
  expect not can_open(o, 2020-05-10)
}
"""


run = run_cli


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / "orders.sp").write_text(ORDER_SPEC)
    return folder


def broken(tmp_path: Path, line: str) -> subprocess.CompletedProcess[str]:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "bad.sp").write_text(ORDER_SPEC + line + "\n")
    return run("check", str(folder))


def assert_rendered(result: subprocess.CompletedProcess[str], message: str, hint: str) -> None:
    assert result.returncode == 2, result.stderr
    err = result.stderr
    assert "Traceback" not in err
    first = err.splitlines()[0]
    assert first.endswith(message), err
    # file:line:col, the quoted line, a caret under the problem, and the hint
    assert "bad.sp:21:" in first
    assert "  21 | " in err and "^" in err
    assert f"= hint: {hint}" in err


def test_unit_error(tmp_path: Path) -> None:
    r = broken(tmp_path, "def late(o: Order) -> Money = o.cash_paid + 15 days")
    assert_rendered(r, "cannot apply `+` to `Money` and `Days`", "both sides of `+`/`-` need the same unit")


def test_unhandled_optional(tmp_path: Path) -> None:
    r = broken(tmp_path, "def opens(o: Order) -> Date = o.shipped_at + 10 days")
    assert_rendered(r, "cannot compute with a value that may be absent (`Date?`)", "handle absence first")


def test_misspelled_field(tmp_path: Path) -> None:
    r = broken(tmp_path, "def paid(o: Order) -> Money = o.cash_payed")
    assert_rendered(r, "record `Order` has no field `cash_payed`", "did you mean `cash_paid`?")


def test_several_errors_reported_together(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "bad.sp").write_text(
        ORDER_SPEC + "def a(o: Order) -> Money = o.x\ndef b(o: Order) -> Money = o.y\n"
    )
    r = run("check", str(folder))
    assert r.returncode == 2
    assert "no field `x`" in r.stderr and "no field `y`" in r.stderr and "2 errors" in r.stderr


def test_check_passes_and_counts(spec: Path) -> None:
    r = run("check", str(spec))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "tests: 1 passed, 0 failed" in r.stdout


def test_failing_test_exits_1_and_shows_the_expectation(spec: Path) -> None:
    text = (
        (spec / "orders.sp")
        .read_text()
        .replace("expect not can_open(o, 2020-05-10)", "expect can_open(o, 2020-05-10)")
    )
    (spec / "orders.sp").write_text(text)
    r = run("test", str(spec))
    assert r.returncode == 1
    assert "FAIL" in r.stdout and "orders.sp:19:3" in r.stdout
    assert "today >= s + 10 days: false" in r.stdout


def test_ask_json_and_bad_input_names_json_path(spec: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "o": {
                    "shipped_at": "2020-05-01",
                    "delivery_deadline": "2020-05-24",
                    "cash_paid": "US$15",
                    "carrier": "dhl",
                },
                "today": "2020-06-08",
            }
        )
    )
    r = run("ask", str(spec), "can_open", "--input", str(good), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["value"] is True
    r = run("ask", str(spec), "can_open", "--input", str(good), "--arg", "today=2020-06-09")
    assert r.stdout.strip() == "can_open(o, today) = false"
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"o": {"shipped_at": "2020-05-01", "cash_paid": "US$-1", "carrier": "ups"}, "today": "2020-06-08"}
        )
    )
    r = run("ask", str(spec), "can_open", "--input", str(bad))
    assert r.returncode == 2
    assert "$.o.carrier" in r.stderr and "dhl" in r.stderr
    assert "Traceback" not in r.stderr


def test_broken_invariant_is_an_input_error(spec: Path, tmp_path: Path) -> None:
    bad = tmp_path / "neg.json"
    bad.write_text(json.dumps({"o": {"cash_paid": "-1.00", "carrier": "dhl"}, "today": "2020-06-08"}))
    r = run("ask", str(spec), "can_open", "--input", str(bad))
    assert r.returncode == 2
    assert "positive" in r.stderr and "$.o" in r.stderr
    # The part of the invariant that is false, with the values it compared and the field read.
    assert "fails at: cash_paid >= $0: false (-US$1.00 >= US$0.00)" in r.stderr
    assert "with cash_paid = -US$1.00" in r.stderr and "carrier" not in r.stderr.split("fails at")[1]
    r = run("ask", str(spec), "can_open", "--input", str(bad), "--format", "json")
    (error,) = json.loads(r.stdout)["errors"]
    assert error["path"] == "$.o" and error["failing"]["condition"]["operands"] == ["-US$1.00", "US$0.00"]
    assert error["failing"]["bound"] == {"cash_paid": "-US$1.00"}
    assert error["failing"]["bound_at"] == {"cash_paid": "$.o.cash_paid"}  # where it sits in the input


def test_unknown_rule_and_usage_errors_exit_2(spec: Path) -> None:
    r = run("ask", str(spec), "can_opn", "--arg", "today=2020-01-01")
    assert r.returncode == 2 and "did you mean `can_open`?" in r.stderr
    r = run("ask", "specs/aliexpress", "best_coupons", "--input", "specs/aliexpress/examples/two-stores.json")
    assert r.returncode == 2 and "`best_coupons` is a plan" in r.stderr and "optimize" in r.stderr
    r = run("check", str(spec / "missing"))
    assert r.returncode == 2 and "no such file or folder" in r.stderr
    r = run("frobnicate")
    assert r.returncode == 2


def test_fmt_check_and_rewrite(spec: Path) -> None:
    path = spec / "orders.sp"
    path.write_text(path.read_text().replace("d + 15 days", "d+15 days"))
    r = run("fmt", "--check", str(spec))
    assert r.returncode == 1 and "would reformat" in r.stdout
    assert "d+15 days" in path.read_text()
    assert run("fmt", str(spec)).returncode == 0
    assert run("fmt", "--check", str(spec)).returncode == 0


def test_fmt_diff_is_a_patch_that_formats_the_file(spec: Path) -> None:
    path = spec / "orders.sp"
    path.write_text(path.read_text().replace("d + 15 days", "d+15 days").rstrip("\n"))  # and no last newline
    unformatted = path.read_text()
    r = run("fmt", "--diff", str(path))
    assert r.returncode == 1 and "would reformat" in r.stderr and "would reformat" not in r.stdout
    assert "-" + unformatted.splitlines()[-1] in r.stdout.splitlines()
    assert "\\ No newline at end of file" in r.stdout
    assert path.read_text() == unformatted  # --diff changes nothing
    j = run("fmt", "--diff", "--format", "json", str(path))
    assert j.returncode == 1 and list(json.loads(j.stdout)["diffs"].values()) == [r.stdout]
    patch = shutil.which("patch")
    if patch is None:
        pytest.skip("no `patch` program to apply the diff with")
    subprocess.run([patch, "-s", str(path)], input=r.stdout, text=True, check=True)
    assert "d + 15 days" in path.read_text() and run("fmt", "--check", str(path)).returncode == 0


def test_schema_is_valid_json_schema(spec: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    r = run("schema", str(spec), "Order")
    assert r.returncode == 0, r.stderr
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate({"cash_paid": "US$1.50", "carrier": "dhl"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"cash_paid": "US$1.50", "carrier": "ups"}, schema)


def test_help_lists_commands() -> None:
    r = run("--help")
    assert r.returncode == 0
    for command in ("check", "ask", "test", "fmt", "schema"):
        assert command in r.stdout


def test_help_imports_no_command_module_and_lists_their_own_summaries() -> None:
    """`smallprint --help` lists the commands from `LAZY_COMMANDS` without importing
    them; each summary there must say what the command's own help says."""
    probe = (
        "import sys\n"
        "from smallprint.checker.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m in ('pathlib', 'json')))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('smallprint', 'z3', 'lark'))))"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    stdlib, loaded = r.stdout.strip().splitlines()[-2:]
    assert "commands" not in loaded and "z3" not in loaded and "lark" not in loaded, loaded
    # Neither is needed to list the commands; together they are about 6 ms of the start.
    assert stdlib == "[]", stdlib
    import importlib

    import click

    from smallprint.checker.cli import LAZY_COMMANDS, cli

    for name, (module, summary) in LAZY_COMMANDS.items():
        importlib.import_module(module)
        for width in (45, 80, 300):
            own = cli.commands[name].get_short_help_str(width)
            assert click.Command(name, help=summary).get_short_help_str(width) == own, name


def test_explore_saves_fixtures_that_test_replays(spec: Path) -> None:
    # Money can be negative in this record (no invariant bounds `cash_paid` above), so a
    # property that caps it is false: the counterexample is a regression fixture.
    (spec / "props.sp").write_text("import orders\nproperty capped: forall o: Order. o.cash_paid <= US$100\n")
    fixtures = spec / "fixtures"
    r = run("explore", str(spec), "capped", "--count", "1", "--save", str(fixtures))
    assert r.returncode == 1, r.stderr  # a counterexample is a finding
    saved = json.loads(next(fixtures.glob("capped-*.json")).read_text())
    assert saved["expect"] == "violated"
    assert saved["inputs"]["o"]["cash_paid"] == "US$100.01"  # minimised: the smallest amount over the cap
    r = run("test", str(spec))
    assert r.returncode == 0 and "fixtures: 1 passed, 0 failed" in r.stdout
    # One file and its imports: a fixture of a property in a module left out is not its
    # own (and not an error); the module that declares it replays it.
    r = run("test", str(spec / "orders.sp"))
    assert r.returncode == 0 and "fixtures:" not in r.stdout, r.stderr
    r = run("test", str(spec / "props.sp"))
    assert r.returncode == 0 and "fixtures: 1 passed, 0 failed" in r.stdout
    saved["expect"] = "holds"
    next(fixtures.glob("capped-*.json")).write_text(json.dumps(saved))
    r = run("test", str(spec))
    assert r.returncode == 1 and "capped is violated on this input" in r.stdout
    # `check` replays them too, and a changed fixture is a changed run (never replayed
    # from the result cache): a fixed bug's fixture says how to keep it as a test.
    r = run("check", str(spec))
    assert r.returncode == 1 and "fixtures: 0 passed, 1 failed" in r.stdout
    (spec / "props.sp").write_text(
        "import orders\nproperty capped: forall o: Order. o.cash_paid <= US$100 or true\n"
    )
    saved["expect"] = "violated"
    next(fixtures.glob("capped-*.json")).write_text(json.dumps(saved))
    r = run("check", str(spec))
    assert r.returncode == 1 and 'set "expect": "holds" to keep it as a regression test' in r.stdout
    saved["expect"] = "holds"
    next(fixtures.glob("capped-*.json")).write_text(json.dumps(saved))
    r = run("check", str(spec))
    assert r.returncode == 0 and "fixtures: 1 passed, 0 failed" in r.stdout
    (spec / "props.sp").write_text("import orders\nproperty capped: forall o: Order. o.cash_paid <= US$100\n")
    # A fixture that no longer decodes (the record changed) is named by its file.
    saved["inputs"]["o"]["carrier"] = "pigeon"
    bad = next(fixtures.glob("capped-*.json"))
    bad.write_text(json.dumps(saved))
    r = run("test", str(spec))
    assert r.returncode == 2 and f"input error: {bad}: $.inputs.o.carrier" in r.stderr
    # ... and one for a property no module declares, when the whole folder is loaded.
    saved["property"] = "gone"
    bad.write_text(json.dumps(saved))
    r = run("test", str(spec))
    assert r.returncode == 2 and "$.property: no property `gone` in this policy" in r.stderr


def test_prove_names_each_property_once(spec: Path) -> None:
    (spec / "props.sp").write_text("import orders\nproperty paid: forall o: Order. o.cash_paid >= US$0\n")
    r = run("prove", str(spec), "paid", "paid", "--no-cache", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert [p["property"] for p in json.loads(r.stdout)["properties"]] == ["paid"]


# ---- usability: arguments, --free, schema, test -k, explore ------------------------

ORDER = {
    "shipped_at": "2020-05-01",
    "delivery_deadline": "2020-05-24",
    "cash_paid": "US$15",
    "carrier": "dhl",
}


def test_arguments_object_for_one_parameter_reports_the_unknown_argument(spec: Path, tmp_path: Path) -> None:
    # `closes` takes `o` alone: an object with a key `o` is arguments, not an `Order` with
    # unknown fields `o` and `p` and every field missing.
    args = tmp_path / "args.json"
    args.write_text(json.dumps({"o": ORDER, "p": "not_received"}))
    r = run("ask", str(spec), "closes", "--input", str(args))
    assert r.returncode == 2
    assert "input error: $: unknown argument `p`" in r.stderr and "1 input error" in r.stderr, r.stderr
    assert "unknown field" not in r.stderr and "missing field" not in r.stderr
    # The record itself still works, and so does a record with the parameter's key only.
    (tmp_path / "o.json").write_text(json.dumps(ORDER))
    assert run("ask", str(spec), "closes", "--input", str(tmp_path / "o.json")).returncode == 0
    (tmp_path / "named.json").write_text(json.dumps({"o": ORDER}))
    assert run("ask", str(spec), "closes", "--input", str(tmp_path / "named.json")).returncode == 0


def test_unknown_argument_is_the_only_error(spec: Path, tmp_path: Path) -> None:
    args = tmp_path / "args.json"
    args.write_text(json.dumps({"o": ORDER, "p": "not_received"}))
    r = run("ask", str(spec), "can_open", "--input", str(args), "--arg", "today=2020-06-01")
    assert r.returncode == 2
    # `o` is in the file: it is not reported missing.
    assert "unknown argument `p`" in r.stderr and "no value for parameter" not in r.stderr, r.stderr
    assert "1 input error" in r.stderr


def test_arg_given_twice_or_also_free_is_a_usage_error(spec: Path, tmp_path: Path) -> None:
    (tmp_path / "o.json").write_text(json.dumps({"o": ORDER}))
    base = ("ask", str(spec), "can_open", "--input", str(tmp_path / "o.json"))
    r = run(*base, "--arg", "today=2020-06-01", "--free", "today")
    assert r.returncode == 2 and "both given (--arg today=...) and left free (--free today)" in r.stderr
    assert "= hint: drop --arg today" in r.stderr and not r.stdout
    r = run(*base, "--arg", "today=2020-06-01", "--arg", "today=2020-06-02")
    assert r.returncode == 2 and "`today` is given twice with --arg" in r.stderr and not r.stdout


def test_malformed_inline_json_says_so(spec: Path) -> None:
    r = run("ask", str(spec), "closes", "--arg", 'o={"cash_paid": "US$1"')
    assert r.returncode == 2
    assert "input error: --arg o: invalid JSON: Expecting" in r.stderr, r.stderr
    r = run("ask", str(spec), "closes", "--arg", "o=[]")
    assert "expected an `Order` (an object), found an array" in r.stderr


def test_free_record_message_and_hint_agree(spec: Path) -> None:
    for free in (["--free", "o"], ["--free", "o", "--free", "today"]):
        r = run("ask", str(spec), "can_open", *free, "--arg", "today=2020-06-01")
        assert r.returncode == 2
        assert "error: `o` is an `Order`, which cannot be left free" in r.stderr, r.stderr
        assert "Date, DateTime, Int, Money" in r.stderr and "Bool or enum can be left free" in r.stderr
        assert "whole-number" not in r.stderr


def test_free_json_results_carry_status(spec: Path, tmp_path: Path) -> None:
    (tmp_path / "o.json").write_text(json.dumps({"o": ORDER}))
    r = run(
        "ask",
        str(spec),
        "can_open",
        "--input",
        str(tmp_path / "o.json"),
        "--free",
        "today",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["status"] == "ok" and out["intervals"] == [{"from": "2020-05-11", "to": "2020-06-08"}]
    r = run("ask", str(spec), "can_open", "--free", "o", "--free", "today", "--format", "json")
    assert json.loads(r.stdout)["status"] == "error"


def test_ask_a_constant_shows_its_value(spec: Path) -> None:
    (spec / "consts.sp").write_text("import orders\nconst grace: Days = 15 days\n")
    r = run("ask", str(spec), "grace")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("grace = 15 days (a constant, declared at ")
    assert json.loads(run("ask", str(spec), "grace", "--format", "json").stdout)["value"] == "15 days"
    r = run("ask", str(spec), "grace", "--arg", "x=1")
    assert (
        r.returncode == 2 and "`grace` is a constant" in r.stderr and "no rule or definition" not in r.stderr
    )


def test_schema_formats_and_errors(spec: Path) -> None:
    text = run("schema", str(spec), "Order", "--format", "text")
    assert text.returncode == 0, text.stderr
    assert json.loads(text.stdout) == json.loads(run("schema", str(spec), "Order", "--format", "json").stdout)
    r = run("schema", str(spec), "Foo")
    assert r.returncode == 2 and not r.stdout
    assert "error: no record or enum `Foo`" in r.stderr and "records: Order; enums: Carrier" in r.stderr
    r = run("schema", str(spec))
    assert r.returncode == 2 and "= hint: records: Order; enums: Carrier" in r.stderr, r.stderr
    r = run("schema", str(spec), "Foo", "--format", "json")
    assert r.returncode == 2 and json.loads(r.stdout)["status"] == "error"


def test_missing_path_has_no_position(tmp_path: Path) -> None:
    r = run("ask", str(tmp_path / "nope"), "x")
    assert r.returncode == 2
    assert (
        r.stderr.splitlines()[0]
        == f"{tmp_path / 'nope'}: error: no such file or folder: `{tmp_path / 'nope'}`"
    )


def test_test_k_matching_nothing_is_an_error(spec: Path) -> None:
    r = run("test", str(spec), "-k", "nothing like it")
    assert r.returncode == 2 and not r.stdout
    assert "no test title contains `nothing like it`" in r.stderr and '"window"' in r.stderr
    r = run("test", str(spec), "-k", "wind")
    assert r.returncode == 0 and "tests: 1 passed, 0 failed" in r.stdout


def test_explore_says_when_fewer_counterexamples_exist(spec: Path) -> None:
    # A property with no clauses to tell counterexamples apart has one kind of counterexample.
    (spec / "props.sp").write_text("import orders\nproperty capped: forall o: Order. o.cash_paid <= US$100\n")
    r = run("explore", str(spec), "capped", "--count", "3")
    assert r.returncode == 1, r.stderr
    assert "capped: only 1 of the 3 asked for: no other counterexample differs in which clauses decided" in (
        r.stdout
    )
    assert "counterexample 1 of 1 for capped" in r.stdout
    out = json.loads(run("explore", str(spec), "capped", "--count", "3", "--format", "json").stdout)
    assert out["requested"] == 3 and out["all_found"] is True and len(out["counterexamples"]) == 1
    # Marked as a known finding, its counterexamples are expected; a true property has none.
    (spec / "props.sp").write_text(
        'import orders\nproperty capped\n  @finding("x.txt", "1"):\n'
        "  forall o: Order. o.cash_paid <= US$100\n"
        "property paid_is_paid: forall o: Order. o.cash_paid == o.cash_paid\n"
    )
    assert run("explore", str(spec), "capped", "--count", "1").returncode == 0
    r = run("explore", str(spec), "paid_is_paid", "--count", "1")
    assert r.returncode == 0 and "no counterexample" in r.stdout


def test_input_from_standard_input_and_json_slips_shown_where_they_are(tmp_path: Path) -> None:
    """`--input -` reads the arguments from standard input; text that is not JSON is
    refused (exit 2) with its line, a caret under the place and what was likely meant."""
    order = (SPECS / "aliexpress" / "examples" / "order.json").read_text("utf-8")
    args = ["ask", str(SPECS / "aliexpress"), "can_open_dispute", "--input", "-", "--arg", "today=2020-06-01"]
    r = subprocess.run(
        [sys.executable, "-m", "smallprint.checker", *args], input=order, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "can_open_dispute(o, p, today) = true"
    bad = tmp_path / "bad.json"
    bad.write_text('{"o": {"paid_at": "2020-05-01",\n  "items": [1,],\n}}', "utf-8")
    r = run_cli("ask", str(SPECS / "aliexpress"), "can_open_dispute", "--input", str(bad))
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert lines[0].endswith("is not valid JSON: Expecting value at line 2, column 15")
    assert lines[1:3] == ['   2 |   "items": [1,],', "     |               ^"]
    assert lines[3] == "  = hint: JSON has no comma after the last member of an object or array"
    bad.write_text("{'o': 1}", "utf-8")
    r = run_cli("ask", str(SPECS / "aliexpress"), "can_open_dispute", "--input", str(bad))
    assert "JSON strings are written in double quotes" in r.stderr and r.returncode == 2


def test_arg_sets_one_field_of_an_argument_given_in_the_input() -> None:
    """A desk varies one fact of a case without editing its file: `--arg o.shipped_at=...`
    replaces that field of `o` from --input, and the record is read (its invariants
    checked) as if the file said so. The example order (paid 2020-05-01, deadline
    2020-05-24, normal tracking, not received) shipped 2020-05-12 instead: "the option
    to open a dispute will become available on the 11th day after seller has sent out
    the goods" (2020-05-22, F1), but "if the package is in transit with normal logistics
    update, and still in delivery time of the order, you can open dispute only after
    delivery time is over" (2020-05-25), "until to the 15th day after delivery time is
    over" (2020-06-08) (aliexpress-buyer-help-center.txt, "When can I open dispute?").
    Not shipped (nor given a deadline), never."""
    base = ("ask", str(SPECS / "aliexpress"), "can_open_dispute", "--input")
    order = str(SPECS / "aliexpress" / "examples" / "order.json")
    r = run_cli(*base, order, "--free", "today", "--arg", "o.shipped_at=2020-05-12", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert [(i["from"], i["to"]) for i in json.loads(r.stdout)["intervals"]] == [("2020-05-25", "2020-06-08")]
    r = run_cli(
        *base, order, "--free", "today", "--arg", "o.shipped_at=none", "--arg", "o.delivery_deadline=none"
    )
    assert r.returncode == 0, r.stderr
    assert "never" in r.stdout
    r = run_cli(*base, order, "--arg", "today=2020-05-30", "--arg", "o.shiped_at=2020-05-12")
    assert r.returncode == 2 and "record `Order` has no field `shiped_at`" in r.stderr
    assert "did you mean `shipped_at`?" in r.stderr
    r = run_cli(*base, order, "--arg", "today=2020-05-30", "--arg", "o.shipped_at=2020-04-20")
    assert r.returncode == 2 and "breaks invariant `ships_after_payment`" in r.stderr


def test_a_value_in_the_input_for_an_argument_left_free_is_noted(tmp_path: Path) -> None:
    """A case file that holds `today` serves `--free today` too: the answer is the same
    as without it, and a note says its value is not used."""
    case = json.loads((SPECS / "aliexpress" / "examples" / "order.json").read_text("utf-8"))
    with_today = tmp_path / "case.json"
    with_today.write_text(json.dumps({**case, "today": "2020-05-30"}), "utf-8")
    base = ("ask", str(SPECS / "aliexpress"), "can_open_dispute", "--free", "today", "--input")
    r = run_cli(*base, str(with_today))
    assert r.returncode == 0 and "note: `today` is left free: its value in --input is not used" in r.stderr
    assert r.stdout == run_cli(*base, str(SPECS / "aliexpress" / "examples" / "order.json")).stdout


@pytest.mark.parametrize(("args", "code"), [(("test", "-v"), 0), (("fmt", "--check"), 1)])
def test_a_reader_that_leaves_early_does_not_change_the_exit_code(
    spec: Path, args: tuple[str, ...], code: int
) -> None:
    """`smallprint ... | head -1`: the output after the reader has gone is dropped, and the
    exit code stays the command's own (Click would make a broken pipe exit 1, "findings")."""
    if args[0] == "fmt":
        path = spec / "orders.sp"
        path.write_text(path.read_text().replace("d + 15 days", "d+15 days"))
    command = [sys.executable, "-m", "smallprint.checker", args[0], *args[1:], str(spec)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # gone before the first line is written
    err = proc.stderr.read().decode()
    assert proc.wait() == code, err
    assert "Traceback" not in err and "internal error" not in err and "Exception ignored" not in err


def test_optimize_input_errors_name_only_its_own_options() -> None:
    r = run("optimize", "specs/aliexpress", "--input", "specs/aliexpress/examples/order.json")
    assert r.returncode == 2 and "$.cart: no value for parameter `cart`" in r.stderr
    assert "give it in --input" in r.stderr and "--arg" not in r.stderr  # optimize has no --arg
    r = run(
        "optimize",
        "specs/aliexpress",
        "--input",
        "specs/aliexpress/examples/two-stores.json",
        "--timeout",
        "0",
    )
    assert r.returncode == 2 and "--timeout" in r.stderr


def test_a_false_comparison_with_a_computed_window_shows_how_the_window_came_about() -> None:
    """The README's order, shipped 2020-05-02 with its delivery deadline 2020-05-24: a
    "not received" dispute opens on the 11th day counting the shipping day (2020-05-12), closes
    15 days after the deadline (2020-06-08), per "When can I open dispute?". On 06-09
    the explanation shows both ends the window was worked out from."""
    r = run(
        "ask",
        "specs/aliexpress",
        "can_open_dispute",
        "--input",
        "specs/aliexpress/examples/order.json",
        "--arg",
        "today=2020-06-09",
        "--explain",
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    at = lines.index("    today in dispute_window(o): false (2020-06-09 in 2020-05-12 to 2020-06-08)")
    assert lines[at + 1] == "      dispute_window(o) = 2020-05-12 to 2020-06-08"
    worked = lines[at + 1 : at + 9]
    # the deadline's case of `dispute_closes` (receipt not confirmed: 15 days after it)
    closes = "          dispute_closes(o) = 2020-06-08 (case #2 held at specs/aliexpress/disputes.sp:44:3"
    assert any(line.startswith(closes) for line in worked), worked
    assert any(line.startswith("          dispute_opens(o) = 2020-05-12") for line in worked)
