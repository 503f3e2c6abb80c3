"""Every scoring rule as a table of named cases, plus the contract's worked example."""

from __future__ import annotations

import pytest

from scoring import CallFacts, TurnFacts, default_rubric, score
from scoring.rubric import RULES

STEPS4 = ["understand", "identify_cause", "propose", "resolve"]


def turn(n: int, *tags: str, step: str | None = None, escalate: str | None = None,
         level: tuple[int, int] = (1, 1), asks: bool = False, skipped: tuple[str, ...] = (),
         mood: tuple[int, int] = (5, 5)) -> TurnFacts:
    return TurnFacts(turn=n, node=f"n{n}", tags=tags, step=step, escalate=escalate,
                     level_before=level[0], level_after=level[1], asks_supervisor=asks,
                     skipped=skipped, mood_before=mood[0], mood_after=mood[1])


def call(*turns: TurnFacts, outcome: str = "resolved", role: str = "csr", needs: str = "none",
         mood: tuple[int, int] = (5, 5)) -> CallFacts:
    start = {"csr": 1, "expert": 2, "supervisor": 3}[role]
    end = max([start] + [t.level_after for t in turns])
    return CallFacts(seat=role, needs=needs, start_level=start, outcome=outcome,
                     end_level=4 if outcome == "lost" else end, mood_start=mood[0],
                     mood_end=mood[1], turns=turns)


TEXTBOOK = (
    turn(1, "acknowledge", "apologise", step="understand"),
    turn(2, "confirm", step="identify_cause"),
    turn(3, "ask_idea", step="propose"),
    turn(4, "check_satisfied", step="resolve"),
)

# (name, facts, (turn, rule) expected to fire [...], rules that must not fire [...])
CASES = [
    ("textbook call fires no deduction", call(*TEXTBOOK),
     [(1, "acknowledge"), (1, "apologise")], ["missing_step", "no_confirm", "never_acknowledged"]),
    ("courteous credits once", call(turn(1, "courteous", "acknowledge", step="understand"),
                                    turn(2, "courteous")), [(1, "courteous")], []),
    ("each interrupt costs", call(turn(1, "interrupt"), turn(2, "interrupt"), outcome="incomplete"),
     [(1, "interrupt"), (2, "interrupt")], []),
    ("blame", call(turn(1, "blame")), [(1, "blame")], []),
    ("dismiss", call(turn(1, "dismiss")), [(1, "dismiss")], []),
    ("argue", call(turn(1, "argue")), [(1, "argue")], []),
    ("never acknowledged takes the last turn", call(turn(1), turn(2)),
     [(2, "never_acknowledged")], []),
    ("calmed by three points", call(*TEXTBOOK, mood=(8, 5)), [(4, "calmed")], []),
    ("not calmed by two", call(*TEXTBOOK, mood=(7, 5)), [], ["calmed"]),
    ("lost customer", call(turn(1, "acknowledge"), outcome="lost"), [(1, "customer_lost")],
     ["calmed"]),
    ("supervisor who never apologises", call(turn(1, "acknowledge", "set_expectation"),
                                             role="supervisor"),
     [(1, "supervisor_no_apology")], ["supervisor_no_plan"]),
    ("supervisor who never says what they will do", call(turn(1, "apologise"), role="supervisor"),
     [(1, "supervisor_no_plan")], ["supervisor_no_apology"]),
    ("missing steps at the end", call(turn(1, "acknowledge", step="understand"), turn(2)),
     [(2, "missing_step")], []),
    ("skipped step counts each skipped", call(turn(1, step="propose",
                                                   skipped=("understand", "identify_cause"))),
     [(1, "skipped_step"), (1, "skipped_step")], []),
    ("propose without confirm", call(turn(1, "ask_idea", step="propose")), [(1, "no_confirm")],
     ["no_idea"]),
    ("propose without asking the customer's idea", call(turn(1, "confirm", step="propose")),
     [(1, "no_idea")], ["no_confirm"]),
    ("satisfaction checked on a later turn counts", call(turn(1, step="resolve"),
                                                         turn(2, "check_satisfied")),
     [], ["no_satisfaction_check"]),
    ("resolve without checking satisfaction", call(turn(1, step="resolve")),
     [(1, "no_satisfaction_check")], []),
    ("compensate and follow up credit once", call(turn(1, "compensate", "follow_up"),
                                                  turn(2, "compensate")),
     [(1, "compensate"), (1, "follow_up")], []),
    ("early expert hand-off", call(turn(1, "set_expectation", escalate="expert", level=(1, 2)),
                                   outcome="escalated", needs="expert"),
     [(1, "early_escalation"), (1, "missing_step")], ["good_handoff", "needless_escalation"]),
    ("textbook expert hand-off passes", call(
        turn(1, "acknowledge", "confirm", step="understand"),
        turn(2, "set_expectation", escalate="expert", level=(1, 2)),
        outcome="escalated", needs="expert"),
     [(2, "good_handoff")], ["missing_step", "early_escalation", "handoff_no_expectation"]),
    ("expectation set on the turn after the hand-off", call(
        turn(1, "acknowledge", step="understand"), turn(2, escalate="expert", level=(1, 2)),
        turn(3, "set_expectation", level=(2, 2)), outcome="escalated", needs="expert"),
     [(2, "good_handoff")], ["handoff_no_expectation"]),
    ("hand-off with no expectation", call(
        turn(1, "acknowledge", step="understand"), turn(2, escalate="expert", level=(1, 2)),
        outcome="escalated", needs="expert"),
     [(2, "handoff_no_expectation")], ["good_handoff"]),
    ("needless supervisor", call(turn(1, "acknowledge", step="understand"),
                                 turn(2, "set_expectation", escalate="supervisor", level=(1, 3)),
                                 outcome="escalated"),
     [(2, "needless_escalation")], ["good_handoff", "early_escalation"]),
    ("a supervisor who passes the customer on", call(
        turn(1, "apologise", step="understand", level=(3, 3)),
        turn(2, "set_expectation", escalate="expert", level=(3, 3)), role="supervisor"),
     [(2, "needless_escalation")], ["good_handoff", "handoff_no_expectation"]),
    ("a second escalation to the same level is not charged twice", call(
        turn(1, "acknowledge", step="understand"),
        turn(2, "set_expectation", escalate="expert", level=(1, 2)),
        turn(3, escalate="expert", level=(2, 2)), outcome="escalated", needs="expert"),
     [(2, "good_handoff")], ["needless_escalation"]),
    ("an honoured request is never early nor needless", call(
        turn(1, "set_expectation", escalate="supervisor", level=(1, 3), asks=True),
        outcome="escalated"),
     [(1, "good_handoff")], ["needless_escalation", "early_escalation", "missing_step",
                             "refused_supervisor"]),
    ("a refused request for a supervisor", call(
        turn(1, "acknowledge", step="understand", asks=True), turn(2, asks=True)),
     [(1, "refused_supervisor"), (2, "refused_supervisor")], []),
    ("honoured later is still not needless, nor good", call(
        turn(1, "acknowledge", asks=True),
        turn(2, "set_expectation", escalate="supervisor", level=(1, 3)), outcome="escalated"),
     [(1, "refused_supervisor")], ["needless_escalation", "good_handoff"]),
    ("missing escalation", call(*TEXTBOOK, needs="supervisor"), [(4, "missing_escalation")], []),
    ("expert for a supervisor's case", call(
        turn(1, "acknowledge", step="understand"),
        turn(2, "set_expectation", escalate="expert", level=(1, 2)), outcome="escalated",
        needs="supervisor"),
     [(2, "wrong_level"), (2, "missing_escalation")], []),
    ("weaponised policy", call(turn(1, "weaponise_policy")), [(1, "weaponise_policy")], []),
    ("lie", call(turn(1, "lie")), [(1, "lie")], []),
    ("overpromise", call(turn(1, "overpromise")), [(1, "overpromise")], []),
    ("explained policy credits once", call(turn(1, "explain_policy"), turn(2, "explain_policy")),
     [(1, "explain_policy")], []),
    # an x- tag is the author's own note: x-acknowledge credits nothing (never_acknowledged
    # still fires) and x-blame costs nothing, though the same tags without x- would
    ("x- tags are ignored", call(turn(1, "x-acknowledge", "x-blame", "x-draft")),
     [(1, "never_acknowledged")], ["acknowledge", "blame"]),
]


@pytest.mark.parametrize(("name", "facts", "fired", "absent"), CASES, ids=[c[0] for c in CASES])
def test_rule(name, facts, fired, absent) -> None:
    card = score(facts)
    got = [(e.turn, e.rule) for e in card.events]
    for want in fired:
        assert got.count(want) >= fired.count(want), (want, got)
    for rule in absent:
        assert rule not in [r for _, r in got], (rule, got)
    rubric = default_rubric()
    for e in card.events:
        assert e.points == rubric.points[e.rule] and e.dimension == RULES[e.rule]
        assert e.reason and e.reason[0].isupper()


def test_the_contract_example_scores_as_printed() -> None:
    card = score(call(*TEXTBOOK[:1], turn(2, step="identify_cause"), TEXTBOOK[2],
                      turn(4, "check_satisfied", "set_expectation", step="resolve"),
                      mood=(7, 5)))
    assert (card.overall, card.passed) == (96, True)
    assert card.dimensions == {"empathy": 100, "resolution": 85, "escalation": 100,
                               "policy": 100}
    assert [(e.turn, e.dimension, e.points, e.reason) for e in card.events] == [
        (1, "empathy", 20, "Named the customer's feeling before asking anything"),
        (1, "empathy", 20, "Apologised sincerely"),
        (3, "resolution", -15, "Proposed a fix without repeating the facts back to confirm them"),
    ]


FAILS = [
    ("one weaponising reply fails on policy", call(*TEXTBOOK[:3], turn(4, "check_satisfied",
                                                                     "weaponise_policy",
                                                                     step="resolve")),
     "Policy 50 is below its floor of 60"),
    ("a lie fails however good the rest", call(*TEXTBOOK[:3], turn(4, "check_satisfied", "lie",
                                                                 step="resolve")),
     "A reply was untrue"),
    ("a lost customer fails", call(*TEXTBOOK[:2], outcome="lost"), "The customer was lost"),
    ("an unfinished call fails", call(*TEXTBOOK[:2], outcome="incomplete"),
     "The call was not finished"),
    ("below the pass mark", call(turn(1, step="understand"), turn(2, "dismiss", "blame")),
     "below the pass mark"),
]


@pytest.mark.parametrize(("name", "facts", "why"), FAILS, ids=[c[0] for c in FAILS])
def test_failing_calls_say_why(name, facts, why) -> None:
    card = score(facts)
    assert not card.passed
    assert any(why in f for f in card.failures), card.failures


def test_dimensions_are_clamped_and_overall_is_the_weighted_mean() -> None:
    facts = call(*[turn(i, "blame", "argue", "weaponise_policy") for i in range(1, 6)])
    card = score(facts)
    assert card.dimensions["empathy"] == 0 and card.dimensions["policy"] == 0
    assert card.overall == round(sum(card.dimensions.values()) / 4 + 1e-9)


def test_scoring_is_deterministic_and_carries_the_rubric_version() -> None:
    facts = call(*TEXTBOOK, needs="expert")
    assert score(facts) == score(facts)
    assert score(facts).rubric == default_rubric().version


def test_a_rubric_where_one_weaponising_reply_could_pass_is_refused(tmp_path) -> None:
    from scoring import RubricError, load_rubric
    from scoring.rubric import DEFAULT_RUBRIC_PATH

    text = DEFAULT_RUBRIC_PATH.read_text().replace("weaponise_policy: -50", "weaponise_policy: -20")
    bad = tmp_path / "rubric.yaml"
    bad.write_text(text)
    with pytest.raises(RubricError, match="one weaponise_policy must put policy below its floor"):
        load_rubric(bad)


def test_one_weaponising_reply_fails_even_with_every_policy_credit() -> None:
    card = score(call(*TEXTBOOK[:3], turn(4, "check_satisfied", "explain_policy",
                                          "weaponise_policy", step="resolve")))
    assert card.dimensions["policy"] < default_rubric().floors["policy"] and not card.passed
