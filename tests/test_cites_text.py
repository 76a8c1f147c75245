"""Citations as people read them: clauses of one heading written once."""

from smallprint.model.ast import Cite, cites_suffix, cites_text

TERMS = "AliExpress Coupons Terms & Conditions"
SEED = "aliexpress-buyer-help-center.txt"


def test_clauses_of_one_heading_are_written_once_in_the_order_cited() -> None:
    cites = [Cite(SEED, f"{TERMS}, {n}") for n in ("6", "5", "17c", "15a", "5")]
    assert cites_text(cites) == f"{SEED}, {TERMS}, 6, 5, 17c, 15a"


def test_other_headings_and_sources_stay_apart() -> None:
    cites = [
        Cite(SEED, f"{TERMS}, 3"),
        Cite(SEED, "Buyer Protection, When can I open dispute?"),
        Cite("other.txt", f"{TERMS}, 10c"),
        Cite(SEED, f"{TERMS}, Article 3"),
        Cite(SEED, None),
    ]
    assert cites_text(cites) == (
        f"{SEED}, {TERMS}, 3, Article 3; {SEED}, Buyer Protection, When can I open dispute?; "
        f"other.txt, {TERMS}, 10c; {SEED}"
    )


def test_a_heading_that_is_not_a_clause_number_is_not_merged() -> None:
    cites = [Cite(SEED, "Free Return, What's Free Return Service?"), Cite(SEED, "Free Return, Service Scope")]
    assert cites_text(cites) == (
        f"{SEED}, Free Return, What's Free Return Service?; {SEED}, Free Return, Service Scope"
    )


def test_suffix_is_empty_without_cites() -> None:
    assert cites_suffix(()) == ""
    assert cites_suffix((Cite("a.txt", "W1.2"),)) == " [a.txt, W1.2]"
