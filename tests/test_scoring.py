"""Every scoring rule as a table of named cases, plus the contract's worked example."""

from __future__ import annotations

import pytest

from scoring import CallFacts, Rubric, RubricError, TurnFacts, default_rubric, load_rubric, score
from scoring.rubric import DAMAGE, DEFAULT_RUBRIC_PATH, PER_STEP, REPAIRS, RULES

STEPS4 = ["understand", "identify_cause", "propose", "resolve"]


def turn(n: int, *tags: str, step: str | None = None, escalate: str | None = None,
         level: tuple[int, int] = (1, 1), asks: bool = False, skipped: tuple[str, ...] = (),
         mood: tuple[int, int] = (5, 5)) -> TurnFacts:
    return TurnFacts(turn=n, node=f"n{n}", tags=tags, step=step, escalate=escalate,
                     level_before=level[0], level_after=level[1], asks_supervisor=asks,
                     skipped=skipped, mood_before=mood[0], mood_after=mood[1])


def call(*turns: TurnFacts, outcome: str = "resolved", role: str = "csr", needs: str = "none",
         mood: tuple[int, int] = (5, 5), walked_out: bool = False) -> CallFacts:
    start = {"csr": 1, "expert": 2, "supervisor": 3}[role]
    end = max([start] + [t.level_after for t in turns])
    return CallFacts(seat=role, needs=needs, start_level=start, outcome=outcome,
                     end_level=4 if outcome == "lost" else end, mood_start=mood[0],
                     mood_end=mood[1], turns=turns, walked_out=walked_out)


def rubric_with(**changes: object) -> Rubric:
    """The default rubric with some numbers changed, checked like a rubric file."""
    data = default_rubric().model_dump()
    for key, value in changes.items():
        if isinstance(value, dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Rubric.model_validate(data)


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
    ("courteous under pressure credits once", call(
        turn(1, "courteous", "acknowledge", step="understand", mood=(7, 7)),
        turn(2, "courteous", mood=(7, 7))), [(1, "courteous")], []),
    ("courteous to a calm customer earns nothing", call(
        turn(1, "courteous", "acknowledge", mood=(5, 5))), [], ["courteous"]),
    ("courtesy counts from the turn the customer is upset", call(
        turn(1, "courteous", "acknowledge", mood=(4, 6)), turn(2, "courteous", mood=(6, 6))),
     [(2, "courteous")], []),
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
    # the customer's mood is their verdict
    ("a reply that upsets the customer costs on that turn", call(
        turn(1, "acknowledge", mood=(5, 7)), turn(2, mood=(7, 4)), mood=(5, 4)),
     [(1, "mood_rise")], ["ended_upset", "calmed"]),
    ("each reply that upsets them costs", call(
        turn(1, "acknowledge", mood=(5, 6)), turn(2, mood=(6, 7)), mood=(5, 7)),
     [(1, "mood_rise"), (2, "mood_rise"), (2, "ended_upset")], ["calmed"]),
    ("leaving more upset than they called costs again", call(
        turn(1, "acknowledge", mood=(5, 8)), turn(2, mood=(8, 6)), mood=(5, 6)),
     [(1, "mood_rise"), (2, "ended_upset")], []),
    ("upset then calmed below the start still earns calmed", call(
        turn(1, "acknowledge", mood=(7, 8)), turn(2, mood=(8, 3)), mood=(7, 3)),
     [(1, "mood_rise"), (2, "calmed")], ["ended_upset"]),
    ("a walkout is charged for the rise that broke them", call(
        turn(1, "acknowledge", mood=(8, 10)), outcome="lost", mood=(8, 10), walked_out=True),
     [(1, "mood_rise"), (1, "ended_upset"), (1, "customer_lost")], []),
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
    # (resolution, escalation and policy start at 100 in this rubric: their credits are 0, and
    # a rule worth no points produces no event; test_credits_where_the_rubric_gives_room below)
    ("compensate and follow up earn nothing at a base of 100", call(
        turn(1, "compensate", "follow_up"), turn(2, "compensate")), [],
     ["compensate", "follow_up"]),
    ("early expert hand-off", call(turn(1, "set_expectation", escalate="expert", level=(1, 2)),
                                   outcome="escalated", needs="expert"),
     [(1, "early_escalation"), (1, "missing_step")], ["good_handoff", "needless_escalation"]),
    ("textbook expert hand-off passes", call(
        turn(1, "acknowledge", "confirm", step="understand"),
        turn(2, "set_expectation", escalate="expert", level=(1, 2)),
        outcome="escalated", needs="expert"),
     [], ["missing_step", "early_escalation", "handoff_no_expectation", "late_escalation"]),
    ("expectation set on the turn after the hand-off", call(
        turn(1, "acknowledge", step="understand"), turn(2, escalate="expert", level=(1, 2)),
        turn(3, "set_expectation", level=(2, 2)), outcome="escalated", needs="expert"),
     [], ["handoff_no_expectation", "late_escalation"]),
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
     [], ["needless_escalation", "late_escalation"]),
    ("an honoured request is never early nor needless", call(
        turn(1, "set_expectation", escalate="supervisor", level=(1, 3), asks=True),
        outcome="escalated"),
     [], ["needless_escalation", "early_escalation", "missing_step", "refused_supervisor",
          "had_to_ask"]),
    ("a request honoured at once is never penalised", call(
        turn(1, "acknowledge", step="understand"), turn(2, "dismiss"),
        turn(3, "set_expectation", escalate="supervisor", level=(1, 3), asks=True),
        outcome="escalated"),
     [(2, "dismiss")], ["needless_escalation", "early_escalation", "refused_supervisor",
                        "late_escalation", "had_to_ask", "handoff_no_expectation"]),
    ("a refused request for a supervisor", call(
        turn(1, "acknowledge", step="understand", asks=True), turn(2, asks=True)),
     [(1, "refused_supervisor"), (2, "refused_supervisor")], []),
    ("honoured later is still not needless, nor good", call(
        turn(1, "acknowledge", asks=True),
        turn(2, "set_expectation", escalate="supervisor", level=(1, 3)), outcome="escalated"),
     [(1, "refused_supervisor")], ["needless_escalation", "good_handoff"]),
    ("missing escalation", call(*TEXTBOOK, needs="supervisor"), [(4, "missing_escalation")], []),
    # late escalation: due from the turn after `understand`, in a case beyond the trainee
    ("stalling after understanding is late, each turn", call(
        turn(1, "acknowledge", step="understand"), turn(2, "apologise"), turn(3, "ask_idea"),
        turn(4, "set_expectation", escalate="expert", level=(1, 2)), outcome="escalated",
        needs="expert"),
     [(2, "late_escalation"), (3, "late_escalation")], ["early_escalation"]),
    ("confirming and finding the cause prepare the hand-off", call(
        turn(1, "acknowledge", step="understand"), turn(2, "confirm"),
        turn(3, step="identify_cause"),
        turn(4, "set_expectation", escalate="supervisor", level=(1, 3)), outcome="escalated",
        needs="supervisor"),
     [], ["late_escalation", "had_to_ask"]),
    ("nothing is late before understanding", call(
        turn(1, "acknowledge"), turn(2, "apologise"), turn(3, step="understand"),
        turn(4, "set_expectation", escalate="expert", level=(1, 2)), outcome="escalated",
        needs="expert"),
     [], ["late_escalation"]),
    ("proposing a fix yourself is late", call(
        turn(1, "acknowledge", step="understand"), turn(2, "ask_idea", step="propose"),
        turn(3, "set_expectation", escalate="expert", level=(1, 2)), outcome="escalated",
        needs="expert"),
     [(2, "late_escalation")], []),
    ("nothing is late after the hand-off", call(
        turn(1, "acknowledge", step="understand"),
        turn(2, "set_expectation", escalate="expert", level=(1, 2)),
        turn(3, level=(2, 2)), turn(4, level=(2, 2)), outcome="escalated", needs="expert"),
     [], ["late_escalation"]),
    ("never late in a case the trainee settles", call(
        turn(1, "acknowledge", step="understand"), turn(2), turn(3)), [], ["late_escalation"]),
    ("a customer who had to ask after a late turn shows it", call(
        turn(1, "acknowledge", step="understand"), turn(2, step="propose"),
        turn(3, "set_expectation", escalate="supervisor", level=(1, 3), asks=True),
        outcome="escalated", needs="supervisor"),
     [(2, "late_escalation"), (3, "had_to_ask")], ["refused_supervisor", "needless_escalation"]),
    ("a customer who asks as soon as the hand-off is ready did not have to", call(
        turn(1, "acknowledge", step="understand"), turn(2, step="identify_cause"),
        turn(3, "set_expectation", escalate="supervisor", level=(1, 3), asks=True),
        outcome="escalated", needs="supervisor"),
     [], ["had_to_ask", "late_escalation"]),
    ("a refused request is not also a late turn", call(
        turn(1, "acknowledge", step="understand"), turn(2), turn(3, asks=True),
        turn(4, "set_expectation", escalate="supervisor", level=(1, 3), asks=True),
        outcome="escalated", needs="supervisor"),
     [(2, "late_escalation"), (3, "had_to_ask"), (3, "refused_supervisor")],
     ["needless_escalation"]),
    ("expert for a supervisor's case", call(
        turn(1, "acknowledge", step="understand"),
        turn(2, "set_expectation", escalate="expert", level=(1, 2)), outcome="escalated",
        needs="supervisor"),
     [(2, "wrong_level"), (2, "missing_escalation")], []),
    ("weaponised policy", call(turn(1, "weaponise_policy")), [(1, "weaponise_policy")], []),
    ("lie", call(turn(1, "lie")), [(1, "lie")], []),
    ("overpromise", call(turn(1, "overpromise")), [(1, "overpromise")], []),
    ("compensating on an overpromise turn earns nothing", call(
        turn(1, "compensate", "overpromise")), [(1, "overpromise")], ["compensate"]),
    ("explaining policy earns nothing at a base of 100", call(
        turn(1, "explain_policy"), turn(2, "explain_policy")), [], ["explain_policy"]),
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
        assert e.dimension == RULES[e.rule] and e.reason and e.reason[0].isupper()
        points = rubric.points[e.rule]
        if e.rule in PER_STEP:  # points per step of mood
            assert e.points % points == 0 and e.points // points >= 1, e
        elif e.rule in REPAIRS:  # a repair of the rep's own damage may earn less
            assert 0 <= e.points <= points, e
        else:
            assert e.points == points, e


#: The rubric the contract's example states (docs/scenario-format.md, `play --json`): equal
#: weights, an empathy base of 60, the other bases at 100; the points it shows (+20 for
#: acknowledging, +20 for apologising). Courtesy and calming are 0 here so that its credits fit
#: under 100 (the loader's rule); the example earns neither.
CONTRACT_RUBRIC = rubric_with(version="contract-example", bases={"empathy": 60},
                              points={"courteous": 0, "calmed": 0})
CONTRACT_CALL = call(*TEXTBOOK[:1], turn(2, step="identify_cause"), TEXTBOOK[2],
                     turn(4, "check_satisfied", "set_expectation", step="resolve"), mood=(7, 5))


def test_the_contract_example_scores_as_printed() -> None:
    card = score(CONTRACT_CALL, CONTRACT_RUBRIC)
    assert (card.overall, card.passed) == (96, True)
    assert card.dimensions == {"empathy": 100, "resolution": 85, "escalation": 100,
                               "policy": 100}
    assert [(e.turn, e.dimension, e.points, e.reason) for e in card.events] == [
        (1, "empathy", 20, "Named the customer's feeling before asking anything"),
        (1, "empathy", 20, "Apologised sincerely"),
        (3, "resolution", -15, "Proposed a fix without repeating the facts back to confirm them"),
    ]


def test_the_contract_example_under_the_rubric_in_force() -> None:
    """Same events; empathy starts at 50 in 2026.12-1, so the call scores 94 (tests/test_cli.py)."""
    card = score(CONTRACT_CALL)
    assert (card.overall, card.passed) == (94, True)
    assert card.dimensions["empathy"] == 90
    assert [(e.turn, e.rule, e.points) for e in card.events] == [
        (1, "acknowledge", 20), (1, "apologise", 20), (3, "no_confirm", -15)]


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
    ("a walkout says so", call(*TEXTBOOK[:2], outcome="lost", walked_out=True),
     "The customer was lost: they walked out"),
    ("a lost ending says the customer hung up", call(*TEXTBOOK[:2], outcome="lost"),
     "The customer was lost: they hung up"),
    ("a needed expert never reached fails", call(*TEXTBOOK, needs="expert"),
     "The case needed an expert and never got one"),
    ("a supervisor's case settled alone fails", call(*TEXTBOOK, needs="supervisor"),
     "Settled alone a case that needed a supervisor's authority"),
    ("an expert for a supervisor's case fails", call(
        turn(1, "acknowledge", "apologise", step="understand"),
        turn(2, "set_expectation", escalate="expert", level=(1, 2)), outcome="escalated",
        needs="supervisor"),
     "The case needed a supervisor and never got one"),
    ("one overpromise fails on policy", call(*TEXTBOOK[:3], turn(4, "check_satisfied",
                                                               "overpromise", step="resolve")),
     "Policy 55 is below its floor of 60"),
]


@pytest.mark.parametrize(("name", "facts", "why"), FAILS, ids=[c[0] for c in FAILS])
def test_failing_calls_say_why(name, facts, why) -> None:
    card = score(facts)
    assert not card.passed
    assert any(why in f for f in card.failures), card.failures


def test_an_unfinished_call_is_not_also_failed_for_its_escalation() -> None:
    card = score(call(*TEXTBOOK[:2], outcome="incomplete", needs="expert"))
    assert card.failures[0] == "The call was not finished"
    assert not any("never got one" in f for f in card.failures), card.failures


FULL = (  # every empathy credit: acknowledged, apologised, courteous under pressure, calmed
    turn(1, "acknowledge", "apologise", "courteous", step="understand", mood=(8, 6)),
    turn(2, "confirm", step="identify_cause", mood=(6, 5)),
    turn(3, "ask_idea", step="propose", mood=(5, 5)),
    turn(4, "check_satisfied", step="resolve", mood=(5, 4)),
)
UPSET = (*FULL[:2], turn(3, "ask_idea", step="propose", mood=(5, 6)),
         turn(4, "check_satisfied", step="resolve", mood=(6, 5)))


def without(tag: str, facts: CallFacts) -> CallFacts:
    from dataclasses import replace
    return replace(facts, turns=tuple(replace(t, tags=tuple(x for x in t.tags if x != tag))
                                      for t in facts.turns))


def stalled(*turns: TurnFacts, needs: str = "expert", escalate: str = "expert") -> CallFacts:
    lead = (turn(1, "acknowledge", "apologise", step="understand"),
            turn(2, "confirm", step="identify_cause"))
    n = len(lead) + len(turns) + 1
    return call(*lead, *turns, turn(n, "set_expectation", escalate=escalate,
                                    level=(1, 2 if escalate == "expert" else 3),
                                    asks=any(t.asks_supervisor for t in turns)),
                outcome="escalated", needs=needs)


DAMAGED = call(turn(1, "dismiss", step="understand"),
               turn(2, "apologise", "acknowledge", "confirm", step="identify_cause"),
               turn(3, "ask_idea", step="propose"), turn(4, "check_satisfied", step="resolve"))

# (name, the worse call, the better call, the dimension where it must be strictly lower);
# the worse call must also be strictly lower overall
COMPARISONS = [
    ("dismissive then apologising is below never dismissive", DAMAGED,
     without("dismiss", DAMAGED), "empathy"),
    ("blaming then apologising is below never blaming",
     call(turn(1, "blame", step="understand"), *DAMAGED.turns[1:]),
     without("dismiss", DAMAGED), "empathy"),
    ("hiding behind policy then apologising is below never hiding",
     call(turn(1, "weaponise_policy", step="understand"), *DAMAGED.turns[1:]),
     without("dismiss", DAMAGED), "policy"),
    ("same tags but a mood rise is below no mood rise",
     call(*UPSET, mood=(8, 5)), call(*FULL, mood=(8, 4)), "empathy"),
    ("leaving them more upset is below leaving them as they came",
     call(*UPSET[:3], turn(4, "check_satisfied", step="resolve", mood=(6, 6)), mood=(5, 6)),
     call(*FULL[:3], turn(4, "check_satisfied", step="resolve", mood=(5, 5)), mood=(5, 5)),
     "empathy"),
    ("stalling two turns then escalating is below escalating when due",
     stalled(turn(3, "ask_idea"), turn(4, "courteous")), stalled(), "escalation"),
    ("a customer who had to ask is below one who was offered the supervisor",
     stalled(turn(3, step="propose"), turn(4, asks=True), needs="supervisor",
             escalate="supervisor"),
     stalled(turn(3, step="propose"), needs="supervisor", escalate="supervisor"), "escalation"),
    ("a needed escalation never made is below one made",
     call(*TEXTBOOK, needs="expert"), stalled(), "escalation"),
]


@pytest.mark.parametrize(("name", "worse", "better", "dimension"), COMPARISONS,
                         ids=[c[0] for c in COMPARISONS])
def test_worse_calls_score_lower(name, worse, better, dimension) -> None:
    low, high = score(worse), score(better)
    assert low.dimensions[dimension] < high.dimensions[dimension], (low, high)
    assert low.overall < high.overall, (low.overall, high.overall)


def test_the_full_call_reaches_100_and_any_rise_shows() -> None:
    """The old clamp at 100 hid a deduction when credits ran high; now the base leaves room for
    every credit, so only a call that lost nothing in empathy reaches 100."""
    assert score(call(*FULL, mood=(8, 4))).dimensions["empathy"] == 100
    assert score(call(*UPSET, mood=(8, 5))).dimensions["empathy"] == 95


# (name, facts, repair rule, the points it earns)
REPAIR_CASES = [
    ("an apology for the company's fault keeps its credit", call(turn(1, "apologise")),
     "apologise", 20),
    ("an apology before the rep's own damage keeps its credit",
     call(turn(1, "apologise"), turn(2, "dismiss")), "apologise", 20),
    ("an apology after a dismissal earns back half of it at most",
     call(turn(1, "dismiss"), turn(2, "apologise")), "apologise", 7),
    ("an apology in the same breath as the damage repairs it",
     call(turn(1, "dismiss", "apologise")), "apologise", 7),
    ("repairs share one allowance", call(turn(1, "dismiss"), turn(2, "apologise"),
                                         turn(3, "acknowledge")), "acknowledge", 0),
    ("more damage, more to repair", call(turn(1, "dismiss"), turn(2, "apologise"),
                                         turn(3, "blame"), turn(4, "acknowledge")),
     "acknowledge", 10),
    ("courtesy after blaming is a repair too",
     call(turn(1, "blame", mood=(7, 7)), turn(2, "courteous", mood=(7, 7))), "courteous", 5),
    ("an apology after hiding behind policy, within half of its cost",
     call(turn(1, "weaponise_policy"), turn(2, "apologise")), "apologise", 20),
]


@pytest.mark.parametrize(("name", "facts", "rule", "points"), REPAIR_CASES,
                         ids=[c[0] for c in REPAIR_CASES])
def test_repair_is_not_profit(name, facts, rule, points) -> None:
    card = score(facts)
    event = next(e for e in card.events if e.rule == rule)
    assert event.points == points
    if points < default_rubric().points[rule]:
        assert "after your own damage" in event.reason and "50%" in event.reason, event.reason
    damage = [e for e in card.events if e.rule in DAMAGE]
    if damage:  # what the repairs earned back stays below what the damage cost
        first = min(d.turn for d in damage)
        repaid = sum(e.points for e in card.events if e.rule in REPAIRS and e.turn >= first)
        assert repaid < -sum(d.points for d in damage)


# (name, facts, rule, words its reason must say, words it must not say)
REASONS = [
    ("a walkout is at the breaking point",
     call(turn(1, mood=(8, 10)), outcome="lost", mood=(8, 10), walked_out=True),
     "customer_lost", ["breaking point (mood 10)", "walked out"], ["hung up"]),
    ("an end: lost node is a hang-up", call(turn(1, mood=(5, 5)), outcome="lost"),
     "customer_lost", ["hung up"], ["breaking point", "walked out"]),
    ("courtesy under pressure names the pressure", call(turn(1, "courteous", mood=(7, 6))),
     "courteous", ["under pressure", "angry, mood 7"], []),
    ("a rise says what the customer felt", call(turn(1, mood=(6, 8)), mood=(6, 8)),
     "mood_rise", ["went from upset to angry", "mood 6 to 8"], []),
    ("a rise within a feeling", call(turn(1, mood=(7, 8)), mood=(7, 8)),
     "mood_rise", ["grew more angry"], []),
    ("a rise from calm", call(turn(1, mood=(0, 1)), mood=(0, 1)),
     "mood_rise", ["grew less calm"], []),
    ("leaving upset", call(turn(1, mood=(4, 6)), mood=(4, 6)),
     "ended_upset", ["more upset than they called", "mood 4 to 6"], []),
    ("a repair says whose damage", call(turn(1, "dismiss"), turn(2, "apologise")),
     "apologise", ["after your own damage (playing it down)"], []),
    ("late names who the case needed", stalled(turn(3)), "late_escalation",
     ["needed an expert"], []),
]


@pytest.mark.parametrize(("name", "facts", "rule", "says", "never"), REASONS,
                         ids=[c[0] for c in REASONS])
def test_reasons_are_true_to_the_call(name, facts, rule, says, never) -> None:
    reason = next(e.reason for e in score(facts).events if e.rule == rule)
    for words in says:
        assert words in reason, reason
    for words in never:
        assert words not in reason, reason


#: A rubric where resolution, escalation and policy leave room for their credits.
ROOMY = rubric_with(version="roomy", bases={"resolution": 90, "escalation": 90, "policy": 95},
                    points={"compensate": 5, "follow_up": 5, "good_handoff": 10,
                            "explain_policy": 5})

# (name, facts, (turn, rule) that fire [...], rules that must not fire [...]) under ROOMY
ROOMY_CASES = [
    ("compensate and follow up credit once", call(turn(1, "compensate", "follow_up"),
                                                  turn(2, "compensate")),
     [(1, "compensate"), (1, "follow_up")], []),
    ("compensating on an overpromise turn earns nothing, a later one does", call(
        turn(1, "compensate", "overpromise"), turn(2, "compensate")),
     [(1, "overpromise"), (2, "compensate")], []),
    ("explained policy credits once", call(turn(1, "explain_policy"), turn(2, "explain_policy")),
     [(1, "explain_policy")], []),
    ("a good hand-off credits once per call", call(
        turn(1, "acknowledge", step="understand"),
        turn(2, "set_expectation", escalate="expert", level=(1, 2)),
        turn(3, "set_expectation", escalate="supervisor", level=(2, 3)), outcome="escalated",
        needs="expert"),
     [(2, "good_handoff")], []),
]


@pytest.mark.parametrize(("name", "facts", "fired", "absent"), ROOMY_CASES,
                         ids=[c[0] for c in ROOMY_CASES])
def test_credits_where_the_rubric_gives_room(name, facts, fired, absent) -> None:
    got = [(e.turn, e.rule) for e in score(facts, ROOMY).events]
    assert sorted(r for r in got if r[1] in {f[1] for f in fired}) == sorted(fired), got
    for rule in absent:
        assert rule not in [r for _, r in got], (rule, got)


def test_dimensions_are_clamped_and_overall_is_the_weighted_mean() -> None:
    facts = call(*[turn(i, "blame", "argue", "weaponise_policy") for i in range(1, 6)])
    card = score(facts)
    assert card.dimensions["empathy"] == 0 and card.dimensions["policy"] == 0
    assert card.overall == round(sum(card.dimensions.values()) / 4 + 1e-9)


def test_scoring_is_deterministic_and_carries_the_rubric_version() -> None:
    facts = call(*TEXTBOOK, needs="expert")
    assert score(facts) == score(facts)
    assert score(facts).rubric == default_rubric().version


# (name, text in rubric.yaml, replaced by, what the loader says)
BAD_RUBRICS = [
    ("one weaponising reply could pass", "weaponise_policy: -50", "weaponise_policy: -20",
     "one weaponise_policy must put policy below its floor"),
    ("one overpromise could pass", "overpromise: -45", "overpromise: -30",
     "one overpromise must put policy below its floor"),
    ("credits past 100 would hide a deduction", "empathy: 50, resolution",
     "empathy: 60, resolution",
     "empathy: the base 60 and every credit \\(\\+50\\) reach 110, past 100"),
    ("an apology could repay hiding behind policy", "weaponise_policy: -50",
     "weaponise_policy: -45", "one weaponise_policy must cost more than every repairing credit"),
    ("a credit in a dimension at 100", "explain_policy: 0", "explain_policy: 5",
     "policy: the base 100 and every credit \\(\\+5\\) reach 105"),
    ("a deduction that earns", "dismiss: -15", "dismiss: 5", "a deduction cannot earn: dismiss"),
    ("a mood rise that earns", "mood_rise: -5", "mood_rise: 5",
     "a deduction cannot earn: mood_rise"),
    ("a credit that costs", "calmed: 5", "calmed: -5", "a credit cannot cost: calmed"),
    ("repair could pay as much as the damage", "repair_share: 50", "repair_share: 100",
     "repair_share"),
]


@pytest.mark.parametrize(("name", "text", "replaced", "message"), BAD_RUBRICS,
                         ids=[c[0] for c in BAD_RUBRICS])
def test_a_rubric_that_breaks_a_guarantee_is_refused(tmp_path, name, text, replaced,
                                                     message) -> None:
    source = DEFAULT_RUBRIC_PATH.read_text()
    assert text in source
    bad = tmp_path / "rubric.yaml"
    bad.write_text(source.replace(text, replaced))
    with pytest.raises(RubricError, match=message):
        load_rubric(bad)


@pytest.mark.parametrize("rubric", [default_rubric(), ROOMY], ids=["default", "roomy"])
@pytest.mark.parametrize("breach", ["weaponise_policy", "overpromise"])
def test_one_breach_fails_even_with_every_policy_credit(rubric: Rubric, breach: str) -> None:
    card = score(call(*TEXTBOOK[:3], turn(4, "check_satisfied", "explain_policy", breach,
                                          step="resolve")), rubric)
    assert card.dimensions["policy"] < rubric.floors["policy"] and not card.passed
