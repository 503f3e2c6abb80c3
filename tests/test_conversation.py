"""The conversation state machine: legal paths, out-of-order steps, the ladder, the walkout."""

from __future__ import annotations

import pytest

from simulator.conversation import Conversation, Level, Progress, machine_diagram

IN_ORDER = ["understand", "identify_cause", "propose", "resolve"]


def test_the_four_steps_in_order_reach_resolved_with_nothing_skipped() -> None:
    c = Conversation()
    for step in IN_ORDER:
        assert c.take(step) == ()
    assert c.progress is Progress.RESOLVED
    assert c.steps == IN_ORDER


OUT_OF_ORDER = [
    ("propose first", ["propose"], [("propose", ("understand", "identify_cause"))],
     Progress.PROPOSED),
    ("resolve straight away", ["resolve"],
     [("resolve", ("understand", "identify_cause", "propose"))], Progress.RESOLVED),
    ("skip the cause", ["understand", "propose"], [("understand", ()),
                                                   ("propose", ("identify_cause",))],
     Progress.PROPOSED),
    ("late step keeps the furthest point", ["understand", "propose", "identify_cause"],
     [("understand", ()), ("propose", ("identify_cause",)), ("identify_cause", ())],
     Progress.PROPOSED),
    ("a repeated step changes nothing", ["understand", "understand"],
     [("understand", ()), ("understand", ())], Progress.UNDERSTOOD),
]


@pytest.mark.parametrize(("name", "steps", "expected", "final"), OUT_OF_ORDER,
                         ids=[c[0] for c in OUT_OF_ORDER])
def test_out_of_order_steps_are_recorded_never_a_crash(name, steps, expected, final) -> None:
    c = Conversation()
    assert [(s, c.take(s)) for s in steps] == expected
    assert c.progress is final
    assert c.steps == list(dict.fromkeys(steps))


def test_skipped_then_late_steps_are_recorded_in_the_order_taken() -> None:
    c = Conversation()
    assert c.take("propose") == ("understand", "identify_cause")
    assert c.take("understand") == ()  # late: nothing more is skipped
    assert c.steps == ["propose", "understand"]
    assert c.progress is Progress.PROPOSED  # a late step keeps the furthest point


LADDER = [
    ("rep to expert", 1, ["expert"], [True], 2),
    ("rep to supervisor", 1, ["supervisor"], [True], 3),
    ("expert then supervisor", 1, ["expert", "supervisor"], [True, True], 3),
    ("never goes down", 1, ["supervisor", "expert"], [True, False], 3),
    ("same level changes nothing", 2, ["expert"], [False], 2),
    ("a supervisor trainee cannot raise", 3, ["supervisor", "expert"], [False, False], 3),
]


@pytest.mark.parametrize(("name", "start", "moves", "raised", "level"), LADDER,
                         ids=[c[0] for c in LADDER])
def test_escalation_ladder(name, start, moves, raised, level) -> None:
    c = Conversation(start_level=start)
    assert [c.escalate(m) for m in moves] == raised
    assert c.level == level


def test_mood_is_clamped_and_the_breaking_point_loses_the_customer() -> None:
    c = Conversation(mood=7, breaking_point=9)
    c.change_mood(-20)
    assert c.mood == 0 and not c.check_breaking_point()
    c.change_mood(+9)
    assert c.check_breaking_point()
    assert c.ladder is Level.LOST and c.level == 4 and c.lost
    assert not c.check_breaking_point()  # walking out happens once


def test_no_auto_transitions_and_unknown_steps_refused() -> None:
    c = Conversation()
    assert not hasattr(c, "to_RESOLVED") and not hasattr(c, "to_LOST")
    with pytest.raises(ValueError):
        c.take("apologise")


def test_machine_diagrams_are_mermaid() -> None:
    steps = machine_diagram("steps")
    assert "stateDiagram-v2" in steps and "OPENED --> UNDERSTOOD: take_understand" in steps
    ladder = machine_diagram("ladder")
    assert "REP --> EXPERT: to_expert" in ladder and "SUPERVISOR --> LOST: walk_out" in ladder
    both = machine_diagram()
    assert both.count("```mermaid") == 2


def _live(states, table, initial):
    """A live `transitions` machine on `table`, its model at `initial`."""
    from transitions import Machine

    model = type("Model", (), {})()
    Machine(model=model, states=states, initial=initial, transitions=table,
            auto_transitions=False)
    return model


@pytest.mark.parametrize("which", ["steps", "ladder"])
def test_the_compiled_table_agrees_with_the_machine_on_every_transition(which) -> None:
    """Conversation reads a table compiled once from the machines: from every state, every
    trigger moves to the same state as a live `transitions` machine, or is refused alike."""
    from transitions.core import MachineError

    from simulator import conversation as cv

    states, table, moves = ((Progress, cv.PROGRESS_TABLE, cv.PROGRESS_MOVES) if which == "steps"
                            else (Level, cv.LADDER_TABLE, cv.LADDER_MOVES))
    triggers = sorted({row["trigger"] for row in table})
    assert sorted(moves) == triggers
    checked = 0
    for state in states:
        for trigger in triggers:
            model = _live(states, table, state)
            try:
                getattr(model, trigger)()
                expected: object = model.state
            except MachineError:
                expected = MachineError
            try:
                got: object = cv._move(moves, trigger, state)
            except MachineError:
                got = MachineError
            assert got == expected, (state, trigger)
            checked += 1
    assert checked == len(states) * len(triggers)


def test_a_conversation_moves_as_the_machines_do_and_refuses_what_they_refuse() -> None:
    from transitions.core import MachineError

    c = Conversation(start_level=Level.SUPERVISOR)
    c.walk_out()
    assert c.lost
    with pytest.raises(MachineError):
        c.escalate("expert")  # a lost call cannot be handed on: the ladder machine refuses too
