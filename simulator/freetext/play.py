"""A typed reply played on a call: the match decides the turn, the detectors what the rep's
own words add. Used by `hotseat play --say`, the TUI's free-text mode and rescoring."""

from __future__ import annotations

from ..call import Call, CallResult, Line, PickError, Typed
from ..scenario import Scenario
from .detectors import detect
from .matcher import Decision, Match, ScenarioMatcher, matcher_for

__all__ = ["play_match", "play_typed", "typed_reply"]


def typed_reply(match: Match, decision: Decision | None = None, option: int | None = None,
                option_tags: tuple[str, ...] = ()) -> Typed:
    """What is kept of a typed reply: the text, the engine, the decision (a confirm the rep
    answered is kept as `confirm`), the similarity of the option played, the detectors' tags
    and notes (beyond the option's own tags)."""
    decision = decision or match.decision
    found = detect(match.text, option_tags)
    similarity = None
    if decision != Decision.NONE:
        chosen = option or match.best.option
        similarity = next(c.similarity for c in match.candidates if c.option == chosen)
    return Typed(match.text, match.engine, str(decision), similarity, found.tags, found.notes)


def play_match(call: Call, match: Match, option: int | None = None) -> Line:
    """Play one typed reply: a none is the node's unmatched turn; a match its option; a confirm
    the `option` the rep confirmed (by default the closest)."""
    if match.decision == Decision.NONE:
        return call.unmatched(typed_reply(match))
    chosen = option or match.best.option
    tags = tuple(call.options[chosen - 1].tags) if 1 <= chosen <= len(call.options) else ()
    return call.choose(chosen, typed_reply(match, option=chosen, option_tags=tags))


def play_typed(scenario: Scenario, texts: list[str],
               matcher: ScenarioMatcher | None = None) -> tuple[CallResult, list[Match]]:
    """A call played from typed replies (a confirm takes the closest). Too many replies:
    PickError; too few: the call is incomplete."""
    matcher = matcher or matcher_for(scenario)
    call = Call(scenario)
    matches: list[Match] = []
    for i, text in enumerate(texts):
        if call.ended:
            left = len(texts) - i
            raise PickError(f"the call ended after turn {call.turn}; {left} repl"
                            f"{'ies' if left != 1 else 'y'} left over")
        try:
            m = matcher.match(call.node, text)
        except ValueError as exc:
            raise PickError(f"turn {call.turn + 1}: {exc}") from None
        matches.append(m)
        play_match(call, m)
    if not call.ended:
        call.quit()
    return call.result(), matches
