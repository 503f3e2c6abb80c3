"""The call engine: picks by position or id, endings, walkouts, bad and leftover picks."""

from __future__ import annotations

import pytest
from corepaths import GOOD

from simulator.call import Call, PickError, parse_picks, play
from simulator.scenario import load_bytes


def test_textbook_path(example) -> None:
    result = play(example, [1, 1, 1, 1])
    assert result.outcome == "resolved" and result.level == 1
    assert result.steps == ["understand", "identify_cause", "propose", "resolve"]
    assert (result.mood_start, result.mood_end) == (7, 5)
    speakers = [line.speaker for line in result.transcript]
    assert speakers == ["customer", "trainee"] * 4 + ["customer"]
    assert [line.option for line in result.transcript if line.speaker == "trainee"] == [1] * 4


def test_hand_off_ends_escalated_at_level_3(example) -> None:
    result = play(example, [2, 1])
    assert (result.outcome, result.level, result.mood_end) == ("escalated", 3, 9)


def test_running_out_of_picks_is_incomplete(example) -> None:
    result = play(example, [1, 1])
    assert result.outcome == "incomplete" and result.level == 1
    assert result.transcript[-1].node == "fix"


def test_picks_left_over_say_after_which_turn_the_call_ended(example) -> None:
    with pytest.raises(PickError, match="ended after turn 4; 2 picks left over"):
        play(example, [1, 1, 1, 1, 1, 2])


def test_a_pick_that_names_no_option(example) -> None:
    with pytest.raises(PickError, match="turn 2: node 'confirm' has no option 3 \\(it has 1\\)"):
        play(example, [1, 3])
    with pytest.raises(PickError, match="has no option 'refund'"):
        play(example, ["refund"])


def test_option_ids_are_picks() -> None:
    text = GOOD.read_text().replace('      - say: "All card charges', "      - id: policy\n"
                                    '        say: "All card charges')
    scenario, problems = load_bytes(text.encode(), "x.yaml")
    assert scenario is not None, problems
    assert play(scenario, ["policy", 1]).outcome == "escalated"


def test_walkout_at_the_breaking_point() -> None:
    text = GOOD.read_text().replace("  breaking_point: 10 ", "  breaking_point: 9 ")
    scenario, problems = load_bytes(text.encode(), "x.yaml")
    assert scenario is not None, problems
    result = play(scenario, [2])  # mood 7 + 2 = 9: walks out at the opening node
    assert (result.outcome, result.level) == ("lost", 4)
    last = result.transcript[-1]
    assert last.speaker == "customer" and last.node == "opening"
    assert last.text.startswith("Forget it.")
    with pytest.raises(PickError, match="ended after turn 1"):
        play(scenario, [2, 1])


def test_end_lost_node_is_level_4() -> None:
    text = GOOD.read_text().replace("    end: escalated", "    end: lost")
    scenario, _ = load_bytes(text.encode(), "x.yaml")
    assert scenario is not None
    result = play(scenario, [2, 1])
    assert (result.outcome, result.level) == ("lost", 4)


def test_call_step_by_step_and_quit(example) -> None:
    call = Call(example)
    assert len(call.options) == 2
    line = call.choose(1)
    assert line.feedback.startswith("Names the feeling")
    assert call.conversation.mood == 5 and call.node == "confirm"
    call.quit()
    assert call.ended and call.result().outcome == "incomplete"
    with pytest.raises(PickError, match="already ended after turn 1"):
        call.choose(1)


@pytest.mark.parametrize(("text", "picks"), [("1,2,refund", [1, 2, "refund"]),
                                             (" 3 , 1", [3, 1])])
def test_parse_picks(text, picks) -> None:
    assert parse_picks(text) == picks


def test_parse_picks_refuses_empty_items() -> None:
    with pytest.raises(PickError, match="empty pick"):
        parse_picks("1,,2")


def test_reply_order_is_authored_without_a_seed_and_a_stable_shuffle_with_one() -> None:
    from simulator.call import reply_order

    assert reply_order(4, None) == [0, 1, 2, 3]
    shuffled = {tuple(reply_order(4, seed, "opening", 0)) for seed in range(40)}
    assert len(shuffled) > 6 and all(sorted(o) == [0, 1, 2, 3] for o in shuffled)
    assert reply_order(4, 7, "fix", 3) == reply_order(4, 7, "fix", 3)
