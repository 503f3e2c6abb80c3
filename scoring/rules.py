"""The rules of the rubric: each reads a call's facts and yields findings (turn, rule, reason).

Every reason is written for the rep: what they did or missed in this call, in words they can act
on, and true to what happened. References are to the service rules (docs/domain.md) by the
rule's name. The points come from the rubric (scoring/scorer.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from .model import CallFacts, TurnFacts
from .rubric import Rubric
from .vocabulary import STEP_WORDS, STEPS, Escalation, Level, Needs, Outcome, Seat, Step

__all__ = ["Finding", "feeling", "find_all"]


class Finding(NamedTuple):
    turn: int
    rule: str
    reason: str
    times: int = 1
    """How many times the rule's points count (per step of mood for the mood rules)."""


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
    "overpromise": "Gave or promised what the policy card or your authority does not allow",
}
FEELINGS = ("calm", "calm", "calm", "uneasy", "uneasy", "upset", "upset", "angry", "angry",
            "furious", "furious")
"""The customer's mood, 0..10, in a word."""


def feeling(mood: int) -> str:
    return FEELINGS[max(0, min(10, mood))]


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


def reached_level(facts: CallFacts) -> Level:
    """The highest level the call reached through the trainee's hand-offs."""
    return max([facts.start_level] + [t.level_after for t in facts.turns])


def escalation_missed(facts: CallFacts) -> bool:
    """The case needed an expert or a supervisor, and that level was never reached."""
    return needed_level(facts) > facts.start_level and reached_level(facts) < needed_level(facts)


def tag_findings(facts: CallFacts, rubric: Rubric) -> Iterator[Finding]:
    seen: set[str] = set()
    for t in facts.turns:
        for tag in dict.fromkeys(t.tags):
            if tag in EVERY_USE:
                yield Finding(t.turn, tag, EVERY_USE[tag])
            elif tag in FIRST_USE and tag not in seen:
                reason = FIRST_USE[tag]
                if tag == "courteous":
                    if t.mood_before < rubric.upset_at:
                        continue  # courtesy to a calm customer is expected, not "under pressure"
                    reason += f" (the customer was {feeling(t.mood_before)}, mood {t.mood_before})"
                if tag == "compensate" and "overpromise" in t.tags:
                    continue  # giving what the card forbids earns nothing
                seen.add(tag)
                if tag == "set_expectation" and any(
                    h.turn in (t.turn, t.turn - 1) for h in handoffs(facts)
                ):
                    continue  # on a hand-off it counts in escalation
                if tag == "acknowledge" and t.turn == 1:
                    reason += " before asking anything"
                yield Finding(t.turn, tag, reason)


def mood_findings(facts: CallFacts, rubric: Rubric) -> Iterator[Finding]:
    """The customer's verdict: every reply that upset them, and how they left."""
    for t in facts.turns:
        rise = t.mood_after - t.mood_before
        if rise > 0:
            was, now = feeling(t.mood_before), feeling(t.mood_after)
            felt = (f"went from {was} to {now}" if was != now
                    else "grew less calm" if now == "calm" else f"grew more {now}")
            yield Finding(t.turn, "mood_rise", (
                f"The customer {felt} (mood {t.mood_before} to {t.mood_after}): "
                "this reply made it worse"), rise)
    end = end_turn(facts)
    rise = facts.mood_end - facts.mood_start
    if rise > 0 and facts.turns:
        yield Finding(end, "ended_upset", (
            f"The customer left more upset than they called (mood {facts.mood_start} to "
            f"{facts.mood_end}, {feeling(facts.mood_end)})"), rise)
    elif (facts.outcome not in (Outcome.LOST, Outcome.INCOMPLETE)
          and facts.mood_start - facts.mood_end >= rubric.calmed_by):
        yield Finding(end, "calmed", (
            f"Calmed the customer down (mood {facts.mood_start} to {facts.mood_end})"))


def empathy_findings(facts: CallFacts) -> Iterator[Finding]:
    end = end_turn(facts)
    tags = {tag for t in facts.turns for tag in t.tags}
    if "acknowledge" not in tags:
        yield Finding(end, "never_acknowledged", "Never acknowledged how the customer felt")
    if facts.seat == Seat.SUPERVISOR and "apologise" not in tags:
        yield Finding(end, "supervisor_no_apology", (
            "As the supervisor, never apologised sincerely (the escalation ladder)"))
    if facts.outcome == Outcome.LOST:
        yield Finding(end, "customer_lost", (
            f"The customer reached their breaking point (mood {facts.mood_end}) and walked out "
            "(level 4): this customer is lost" if facts.walked_out else
            "The customer hung up and took it over your head (level 4): this customer is lost"))


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
            yield Finding(t.turn, "skipped_step", (
                f"Went to {STEP_WORDS[t.step or Step.RESOLVE]} before {STEP_WORDS[skipped]}"))
        if t.step == Step.PROPOSE and Step.PROPOSE not in taken:
            if "confirm" not in tags_so_far:
                yield Finding(t.turn, "no_confirm", (
                    "Proposed a fix without repeating the facts back to confirm them"))
            if "ask_idea" not in tags_so_far:
                yield Finding(t.turn, "no_idea", (
                    "Proposed a fix without first asking how the customer would like it solved"))
        if t.step == Step.RESOLVE and Step.RESOLVE not in taken:
            later = {tag for u in facts.turns if u.turn >= t.turn for tag in u.tags}
            if "check_satisfied" not in later:
                yield Finding(t.turn, "no_satisfaction_check", (
                    "Solved it without asking whether the customer is satisfied"))
        if t.step:
            taken.add(t.step)
    end = end_turn(facts)
    for step in STEPS:
        if step in owed_steps(facts) and step not in taken:
            yield Finding(end, "missing_step", f"Never got to {STEP_WORDS[step]}")
    tags = {tag for t in facts.turns for tag in t.tags}
    if facts.seat == Seat.SUPERVISOR and not tags & {"set_expectation", "follow_up"}:
        yield Finding(end, "supervisor_no_plan", (
            "As the supervisor, never said what you will do or have done (the escalation ladder)"))


def prepares_handoff(t: TurnFacts) -> bool:
    """Confirming the facts or identifying the cause gets a hand-off ready."""
    return t.step == Step.IDENTIFY_CAUSE or "confirm" in t.tags


def late_findings(facts: CallFacts) -> Iterator[Finding]:
    """In a case beyond the trainee, the hand-off is due from the turn after `understand`: each
    turn from then on that neither prepares it nor makes it is late; and a customer who then has
    to ask for the supervisor the case needed shows it too."""
    need = needed_level(facts)
    if need <= facts.start_level:
        return
    who = "an expert" if need == Level.EXPERT else "a supervisor"
    understood = late = asked = False
    for t in facts.turns:
        if t.level_before > facts.start_level:
            return  # handed over: what follows is timed by the hand-off's own rules
        if t.asks_supervisor:
            if late and need == Level.SUPERVISOR and not asked:
                asked = True
                yield Finding(t.turn, "had_to_ask", (
                    "The customer had to ask for a supervisor: this case needed one, and "
                    "offering it once you knew was your job (the escalation ladder)"))
        elif understood and t.level_after == t.level_before and not prepares_handoff(t):
            late = True
            yield Finding(t.turn, "late_escalation", (
                f"Kept the customer waiting: once you understood the problem, this case needed "
                f"{who}, and this reply neither prepared the hand-off nor made it"))
        understood = understood or t.step == Step.UNDERSTAND


def escalation_findings(facts: CallFacts) -> Iterator[Finding]:
    need = needed_level(facts)
    understood = refused = credited = False
    yield from late_findings(facts)
    for i, t in enumerate(facts.turns):
        understood = understood or t.step == Step.UNDERSTAND
        raised = t.level_after > t.level_before
        if t.asks_supervisor and t.level_after < Level.SUPERVISOR:
            refused = True
            yield Finding(t.turn, "refused_supervisor", (
                "The customer asked for a supervisor and did not get one: "
                "honour that request at once (the escalation ladder)"))
        if not raised:
            if t.escalate and need <= t.level_before == facts.start_level:
                # at the top of what the case needs, "escalating" only passes the customer on
                yield Finding(t.turn, "needless_escalation", (
                    "Passed the customer on instead of settling it yourself: "
                    "this case is yours (the escalation ladder)"))
            continue
        honours = honours_request(facts, t)
        if honours:
            pass
        elif need <= facts.start_level:
            yield Finding(t.turn, "needless_escalation", (
                "Handed over a case you could settle yourself"))
        elif not understood:
            yield Finding(t.turn, "early_escalation", (
                "Handed over before understanding the problem"))
        if t.escalate == Escalation.EXPERT and need == Level.SUPERVISOR:
            yield Finding(t.turn, "wrong_level", (
                "Sent to an expert a case that needs a supervisor"))
        nxt = facts.turns[i + 1] if i + 1 < len(facts.turns) else None
        if "set_expectation" not in t.tags + (nxt.tags if nxt else ()):
            yield Finding(t.turn, "handoff_no_expectation", (
                "Handed over without telling the customer who will answer and when"))
        elif is_correct(facts, t) and (honours or understood) and not refused and not credited:
            credited = True
            yield Finding(t.turn, "good_handoff", (
                "Handed over to the right level, expectations set"))
    if escalation_missed(facts):
        who = "an expert" if need == Level.EXPERT else "a supervisor"
        yield Finding(end_turn(facts), "missing_escalation", (
            f"This case needed {who} and never got one"))


def failures(facts: CallFacts) -> Iterator[str]:
    """What fails a call whatever its scores, in plain words (the floors come on top)."""
    if facts.outcome == Outcome.LOST:
        yield ("The customer was lost: they walked out" if facts.walked_out
               else "The customer was lost: they hung up")
    if facts.outcome == Outcome.INCOMPLETE:
        yield "The call was not finished"
    if any("lie" in t.tags for t in facts.turns):
        yield "A reply was untrue"
    if escalation_missed(facts) and facts.outcome != Outcome.INCOMPLETE:
        if facts.outcome == Outcome.RESOLVED and facts.needs == Needs.SUPERVISOR:
            yield "Settled alone a case that needed a supervisor's authority"
        else:
            who = "an expert" if needed_level(facts) == Level.EXPERT else "a supervisor"
            yield f"The case needed {who} and never got one"


def find_all(facts: CallFacts, rubric: Rubric) -> Iterator[Finding]:
    yield from tag_findings(facts, rubric)
    yield from empathy_findings(facts)
    yield from mood_findings(facts, rubric)
    yield from resolution_findings(facts)
    yield from escalation_findings(facts)
