"""The rules of the rubric: each reads a call's facts and yields (turn, rule, reason) findings.

Every reason is written for the rep: what they did or missed, in words they can act on.
References are to the service rules (docs/domain.md) by the rule's name.
"""

from __future__ import annotations

from collections.abc import Iterator

from .model import CallFacts, TurnFacts
from .vocabulary import STEP_WORDS, STEPS, Escalation, Level, Outcome, Seat, Step

__all__ = ["Finding", "find_all"]

Finding = tuple[int, str, str]  # (turn, rule, reason)
FIRST_USE = {
    "acknowledge": "Named the customer's feeling",
    "apologise": "Apologised sincerely",
    "courteous": "Stayed courteous under pressure",
    "compensate": "Offered something for the trouble",
    "follow_up": "Committed to a follow-up contact",
    "set_expectation": "Told the customer what happens next and when",
    "explain_policy": "Explained the rule with its reason and offered what can be done",
}
EVERY_USE = {
    "interrupt": "Cut the customer off: let them finish before you answer",
    "blame": "Blamed the customer: look for the cause, not a culprit",
    "dismiss": "Played down the problem or the feeling",
    "argue": "Turned a disagreement into a confrontation",
    "weaponise_policy": "Hid behind policy to refuse (\"it's company policy\"): "
    "explain the rule's reason and offer what you can do",
    "lie": "Said something untrue: a rep never lies to settle a call",
    "overpromise": "Promised what policy or your authority does not allow",
}


def end_turn(facts: CallFacts) -> int:
    return facts.turns[-1].turn if facts.turns else 0


def needed_level(facts: CallFacts) -> Level:
    return max(facts.start_level, facts.needs.level or facts.start_level)


def handoffs(facts: CallFacts) -> list[TurnFacts]:
    return [t for t in facts.turns if t.level_after > t.level_before]


def asked_by(facts: CallFacts, turn: int) -> bool:
    """Had the customer asked for a supervisor on or before this turn?"""
    return any(t.asks_supervisor for t in facts.turns if t.turn <= turn)


def honours_request(facts: CallFacts, t: TurnFacts) -> bool:
    """Does this reply hand the call to a supervisor the customer had asked for?"""
    return t.escalate == Escalation.SUPERVISOR and asked_by(facts, t.turn)


def is_correct(facts: CallFacts, t: TurnFacts) -> bool:
    return honours_request(facts, t) or t.level_after >= needed_level(facts) > facts.start_level


def tag_findings(facts: CallFacts) -> Iterator[Finding]:
    seen: set[str] = set()
    for t in facts.turns:
        for tag in dict.fromkeys(t.tags):
            if tag in EVERY_USE:
                yield t.turn, tag, EVERY_USE[tag]
            elif tag in FIRST_USE and tag not in seen:
                seen.add(tag)
                if tag == "set_expectation" and any(
                    h.turn in (t.turn, t.turn - 1) for h in handoffs(facts)
                ):
                    continue  # on a hand-off it counts in escalation
                reason = FIRST_USE[tag]
                if tag == "acknowledge" and t.turn == 1:
                    reason += " before asking anything"
                yield t.turn, tag, reason


def empathy_findings(facts: CallFacts, calmed_by: int) -> Iterator[Finding]:
    end = end_turn(facts)
    tags = {tag for t in facts.turns for tag in t.tags}
    if "acknowledge" not in tags:
        yield end, "never_acknowledged", "Never acknowledged how the customer felt"
    if facts.seat == Seat.SUPERVISOR and "apologise" not in tags:
        yield end, "supervisor_no_apology", (
            "As the supervisor, never apologised sincerely (the escalation ladder)")
    if facts.outcome == Outcome.LOST:
        yield end, "customer_lost", (
            "The customer reached their breaking point and left (level 4): this customer is lost")
    elif facts.outcome != Outcome.INCOMPLETE and facts.mood_start - facts.mood_end >= calmed_by:
        yield end, "calmed", (
            f"Calmed the customer down (mood {facts.mood_start} to {facts.mood_end})")


def owed_steps(facts: CallFacts) -> set[Step]:
    """The steps the trainee had to take: all four, unless a correct hand-off took them over."""
    for t in handoffs(facts):
        if is_correct(facts, t):
            return set() if honours_request(facts, t) else {Step.UNDERSTAND}
    return set(STEPS)


def resolution_findings(facts: CallFacts) -> Iterator[Finding]:
    taken: set[Step] = set()
    tags_so_far: set[str] = set()
    for t in facts.turns:
        tags_so_far.update(t.tags)
        for skipped in t.skipped:
            yield t.turn, "skipped_step", (
                f"Went to {STEP_WORDS[t.step or Step.RESOLVE]} before {STEP_WORDS[skipped]}")
        if t.step == Step.PROPOSE and Step.PROPOSE not in taken:
            if "confirm" not in tags_so_far:
                yield t.turn, "no_confirm", (
                    "Proposed a fix without repeating the facts back to confirm them")
            if "ask_idea" not in tags_so_far:
                yield t.turn, "no_idea", (
                    "Proposed a fix without first asking how the customer would like it solved")
        if t.step == Step.RESOLVE and Step.RESOLVE not in taken:
            later = {tag for u in facts.turns if u.turn >= t.turn for tag in u.tags}
            if "check_satisfied" not in later:
                yield t.turn, "no_satisfaction_check", (
                    "Solved it without asking whether the customer is satisfied")
        if t.step:
            taken.add(t.step)
    end = end_turn(facts)
    for step in STEPS:
        if step in owed_steps(facts) and step not in taken:
            yield end, "missing_step", f"Never got to {STEP_WORDS[step]}"
    tags = {tag for t in facts.turns for tag in t.tags}
    if facts.seat == Seat.SUPERVISOR and not tags & {"set_expectation", "follow_up"}:
        yield end, "supervisor_no_plan", (
            "As the supervisor, never said what you will do or have done (the escalation ladder)")


def escalation_findings(facts: CallFacts) -> Iterator[Finding]:
    need = needed_level(facts)
    understood = refused = False
    for i, t in enumerate(facts.turns):
        understood = understood or t.step == Step.UNDERSTAND
        raised = t.level_after > t.level_before
        if t.asks_supervisor and t.level_after < Level.SUPERVISOR:
            refused = True
            yield t.turn, "refused_supervisor", (
                "The customer asked for a supervisor and did not get one: "
                "honour that request at once (the escalation ladder)")
        if not raised:
            if t.escalate and need <= t.level_before == facts.start_level:
                # at the top of what the case needs, "escalating" only passes the customer on
                yield t.turn, "needless_escalation", (
                    "Passed the customer on instead of settling it yourself: "
                    "this case is yours (the escalation ladder)")
            continue
        honours = honours_request(facts, t)
        if honours:
            pass
        elif need <= facts.start_level:
            yield t.turn, "needless_escalation", (
                "Handed over a case you could settle yourself")
        elif not understood:
            yield t.turn, "early_escalation", (
                "Handed over before understanding the problem")
        if t.escalate == Escalation.EXPERT and need == Level.SUPERVISOR:
            yield t.turn, "wrong_level", "Sent to an expert a case that needs a supervisor"
        nxt = facts.turns[i + 1] if i + 1 < len(facts.turns) else None
        if "set_expectation" not in t.tags + (nxt.tags if nxt else ()):
            yield t.turn, "handoff_no_expectation", (
                "Handed over without telling the customer who will answer and when")
        elif is_correct(facts, t) and (honours or understood) and not refused:
            yield t.turn, "good_handoff", "Handed over to the right level, expectations set"
    reached = max([facts.start_level] + [t.level_after for t in facts.turns])
    if need > facts.start_level and reached < need:
        who = "an expert" if need == Level.EXPERT else "a supervisor"
        yield end_turn(facts), "missing_escalation", (
            f"This case needed {who} and never got one")


def find_all(facts: CallFacts, calmed_by: int) -> Iterator[Finding]:
    yield from tag_findings(facts)
    yield from empathy_findings(facts, calmed_by)
    yield from resolution_findings(facts)
    yield from escalation_findings(facts)
