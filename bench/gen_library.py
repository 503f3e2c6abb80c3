"""A generated scenario library for `validate`: valid files of docs/scenario-format.md, v1.

Each file is one scenario whose nodes form a layered DAG: a call runs through `DEPTH` layers of
trainee turns (a realistic call length), each node offering three replies into the next layer
(and some a fourth, a hand-off to a supervisor), then three end nodes (resolved, escalated,
lost). Every node is reachable. The first reply of every node takes the four steps in order, so
picking 1 all the way is the winning path (resolved at level 1), which a check plays; a second
check picks the third reply (mood +2) until the customer walks out. Texts are drawn from a fixed
vocabulary with a seeded random generator: the same arguments always write the same bytes.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

__all__ = ["DEPTH", "file_text", "write_library"]

DEPTH = 8
"""Trainee turns from the start to an end, whatever the number of nodes (width grows instead)."""
MAX_BYTES = 1024 * 1024
"""A scenario file larger than this is refused by `validate` (scenario-format.md)."""

NAMES = ["Dana Whitfield", "Marcus Bell", "Priya Raman", "Tomasz Nowak", "Aoife Byrne",
         "Kwame Mensah", "Lucia Ferreira", "Hiro Tanaka", "Fatima Zahra", "Oskar Lindqvist"]
PERSONAS = ["angry", "confused", "payment"]
PROBLEMS = ["return", "service", "payment", "technical", "other"]
SUBJECTS = ["my order", "the invoice", "the delivery", "my account", "the refund",
            "the installation", "the subscription", "the card payment", "the warranty claim",
            "the replacement part", "the appointment", "the gift card"]
TROUBLES = ["never arrived", "was charged twice", "is still not fixed", "was cancelled without "
            "a word", "came broken", "shows the wrong amount", "keeps failing", "was promised "
            "for Monday", "disappeared from the app", "was sent to the wrong address"]
FEELINGS = ["I am really fed up", "This is the third time I call", "Nobody tells me anything",
            "I have been on hold for forty minutes", "I just want it sorted",
            "I do not understand what happened", "Frankly I am losing patience",
            "I was told someone would call me back"]
OPENERS = ["I'm sorry, that sounds frustrating.", "Thank you for bearing with me.",
           "Let me check that for you right away.", "I understand why you are upset.",
           "Let me make sure I have this right.", "I can see what happened here.",
           "Here is what I can do for you today.", "Let me explain what the rules allow."]
BODIES = ["I'm looking at {s} now and I can see it {t}.",
          "So {s} {t}, and you need it settled this week, is that right?",
          "The record shows {s} {t} because the system retried the request.",
          "I can arrange a replacement or a refund for {s}, which would you prefer?",
          "I will follow up on {s} myself and call you back before Friday at noon.",
          "It's company policy, there is nothing I can do about {s}.",
          "You must have entered the details wrong, that's why {s} {t}."]
FEEDBACK = ["Names the feeling before asking anything.", "Confirms the facts back.",
            "Finds the cause before proposing a fix.", "Asks what the customer would like.",
            "Checks the customer is satisfied.", "Hides behind policy instead of explaining it.",
            "Puts the blame on the customer."]
HANDOFF = "I am bringing my supervisor in now; she will call you back within the hour."
STEPS = ["understand", "identify_cause", "propose", "resolve"]
GOOD_TAGS = [["acknowledge", "apologise"], ["confirm"], ["ask_idea"],
             ["check_satisfied", "set_expectation"], ["courteous"], ["explain_policy"]]
MIXED_TAGS = [["courteous"], ["follow_up"], ["compensate"], [], ["interrupt"]]
BAD_TAGS = [["dismiss"], ["blame"], ["weaponise_policy"], ["argue"]]


def _q(text: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _sentence(rng: random.Random, subject: str, trouble: str) -> str:
    return f"{rng.choice(OPENERS)} {rng.choice(BODIES).format(s=subject, t=trouble)}"


def _customer_line(rng: random.Random, subject: str, layer: int) -> str:
    trouble = rng.choice(TROUBLES)
    return (f"{rng.choice(FEELINGS)}. {subject.capitalize()} {trouble}, and "
            f"{rng.choice(SUBJECTS)} {rng.choice(TROUBLES)} as well. What are you going to do "
            f"about it{'?' if layer % 2 else ', honestly?'}")


def _layers(nodes: int, depth: int = DEPTH) -> list[int]:
    """The width of each layer: the start alone, then each layer at most three times the one
    before (every node has three replies into the next layer), `nodes` minus the three end nodes
    in all."""
    left = max(1, nodes - 3)
    depth = min(depth, left)
    widths = [1]
    left -= 1
    for layer in range(1, depth):
        width = min(3 * widths[-1], -(-left // (depth - layer)))
        widths.append(width)
        left -= width
    if left:
        raise ValueError(f"{nodes} nodes do not fit in {depth} layers")
    return widths


def file_text(index: int, nodes: int, seed: int = 0, depth: int = DEPTH,
              labelled: bool = False) -> str:
    """The YAML text of scenario number `index` with about `nodes` nodes in `depth` layers.

    `labelled`: every customer line starts with its turn ("Turn 3.") and every reply with its
    number and turn, and every reply has feedback, so that each turn of a call looks like the
    others and can be told apart on a screen (the reply benchmarks' long call)."""
    rng = random.Random(f"{seed}:{index}:{nodes}")
    widths = _layers(nodes, depth)
    depth = len(widths)
    name = rng.choice(NAMES)
    subject = rng.choice(SUBJECTS)
    trouble = rng.choice(TROUBLES)
    sid = f"bench-{nodes}-{index:05d}"
    out = [
        "# yaml-language-server: $schema=schema.json",
        f"id: {sid}",
        f"title: {_q(f'Generated call {index} ({nodes} nodes): {subject} {trouble}')}",
        f"persona: {rng.choice(PERSONAS)}",
        f"problem: {rng.choice(PROBLEMS)}",
        f"summary: {_q(f'{name} calls because {subject} {trouble}. Generated for benchmarks.')}",
        f"difficulty: {rng.randint(1, 5)}",
        "locale: en",
        "role: csr",
        "escalation: none",
        "customer:",
        f"  name: {_q(name)}",
        "  mood: 5",
        "  breaking_point: 10",
        f"  walkout: {_q('That is it, I am taking my business elsewhere. Goodbye.')}",
        "policy:",
        "  allows:",
        f"    - {_q('Refund a duplicate or wrong charge at once')}",
        f"    - {_q('A goodwill credit up to $10')}",
        "  forbids:",
        f"    - {_q('Promising a date a partner controls')}",
        "facts:",
        f"  complaint: {_q(f'{subject.capitalize()} {trouble}')}",
        f"  cause: {_q('A retried request in the billing system')}",
        f"  solution: {_q('Refund the wrong charge; it shows within 3-5 business days')}",
        "start: n0-0",
        "nodes:",
    ]
    for layer, width in enumerate(widths):
        last = layer == depth - 1
        following = widths[layer + 1] if not last else 0
        for i in range(width):
            out.append(f"  n{layer}-{i}:")
            said = _customer_line(rng, subject, layer)
            out.append(f"    customer: {_q(f'Turn {layer + 1}. {said}' if labelled else said)}")
            if rng.random() < 0.1:
                out.append("    asks_supervisor: false")
            out.append("    options:")
            taken = "resolve" if last else STEPS[layer] if layer < 3 else None
            targets = (["resolved", "resolved", "lost"] if last else
                       [f"n{layer + 1}-{(3 * i + k) % following}" for k in range(3)])
            options = [
                (targets[0], taken, ["acknowledge", "apologise"] if layer == 0
                 else rng.choice(GOOD_TAGS), -1, "good"),
                (targets[1], None, rng.choice(MIXED_TAGS), 0, None),
                (targets[2], None, rng.choice(BAD_TAGS), 2, "bad"),
            ]
            for n, (target, step, tags, mood, oid) in enumerate(options, start=1):
                say = _sentence(rng, subject, trouble)
                say = f"Reply {n} of turn {layer + 1}: {say}" if labelled else say
                out.append(f"      - say: {_q(say)}")
                if oid:
                    out.append(f"        id: {oid}")
                if step:
                    out.append(f"        step: {step}")
                if tags:
                    out.append(f"        tags: [{', '.join(tags)}]")
                if mood:
                    out.append(f"        mood: {mood:+d}")
                out.append(f"        next: {target}")
                if labelled or rng.random() < 0.6:
                    out.append(f"        feedback: {_q(rng.choice(FEEDBACK))}")
            if i % 10 == (3 if width > 3 else 0):  # a hand-off a supervisor takes
                out.append(f"      - say: {_q(HANDOFF)}")
                out.append("        escalate: supervisor")
                out.append("        tags: [set_expectation]")
                out.append("        next: escalated")
    out += [
        "  resolved:",
        f"    customer: {_q('Thank you, that settles it. Have a good day.')}",
        "    end: resolved",
        "  escalated:",
        f"    customer: {_q('Fine, I will wait for your supervisor.')}",
        "    end: escalated",
        "  lost:",
        f"    customer: {_q('Forget it. I am cancelling everything.')}",
        "    end: lost",
        "checks:",
        "  - name: the winning path",
        f"    choose: [{', '.join(['1'] * depth)}]",
        "    expect: {outcome: resolved, level: 1}",
    ]
    if depth > 2:
        out += ["  - name: dismissed into a walk-out",
                "    choose: [3, 3, 3]",
                "    expect: {outcome: lost, level: 4, passed: false}"]
    text = "\n".join(out) + "\n"
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"{sid}: {len(text)} bytes, over the 1 MiB a scenario file may have")
    return text


def write_library(folder: Path, files: int, nodes: int, seed: int = 0) -> int:
    """Write `files` scenario files of `nodes` nodes into `folder`; return the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for index in range(files):
        raw = file_text(index, nodes, seed).encode("utf-8")
        (folder / f"bench-{nodes}-{index:05d}.yaml").write_bytes(raw)
        total += len(raw)
    return total
