"""The call's gauges: the customer's mood, the four steps, the escalation level."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from scoring.vocabulary import LEVEL_LABELS, STEP_LABELS, Level

__all__ = ["LevelLadder", "MoodMeter", "StepTracker", "mood_word"]



def mood_word(mood: int) -> str:
    if mood <= 3:
        return "calm"
    if mood <= 6:
        return "tense"
    if mood <= 8:
        return "angry"
    return "furious"


class MoodMeter(Widget):
    """The customer's mood, 0 (calm) to 10 (furious), with their breaking point marked."""

    DEFAULT_CSS = """
    MoodMeter { height: 2; width: 1fr; }
    MoodMeter.-calm { color: $text-success; }
    MoodMeter.-tense { color: $text-warning; }
    MoodMeter.-angry, MoodMeter.-furious { color: $text-error; }
    """
    mood: reactive[int] = reactive(5)
    breaking_point: reactive[int] = reactive(10)

    def __init__(self, mood: int, breaking_point: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(MoodMeter.mood, mood)
        self.set_reactive(MoodMeter.breaking_point, breaking_point)

    def on_mount(self) -> None:
        self._restyle()

    def watch_mood(self) -> None:
        self._restyle()

    def _restyle(self) -> None:
        for word in ("calm", "tense", "angry", "furious"):
            self.set_class(mood_word(self.mood) == word, f"-{word}")

    def render(self) -> Text:
        text = Text.assemble(("Mood ", "bold"), f"{self.mood}/10 {mood_word(self.mood)}\n")
        for cell in range(10):
            if cell < self.mood:
                text.append("█")
            elif cell + 1 >= self.breaking_point:
                text.append("╳", "dim")  # where the customer walks out
            else:
                text.append("░", "dim")
        text.append(f"  walks out at {self.breaking_point}", "dim")
        return text


class StepTracker(Widget):
    """The four steps of solving a problem (docs/domain.md, section 2): done, skipped, to do."""

    DEFAULT_CSS = """
    StepTracker { height: 5; width: 1fr; }
    """
    done: reactive[tuple[str, ...]] = reactive(())  # a fixed height: no new layout
    skipped: reactive[tuple[str, ...]] = reactive(())

    def render(self) -> Text:
        text = Text("Four steps", "bold")
        for step, label in STEP_LABELS.items():
            if step in self.done:
                text.append("\n✔ ", "bold")
                text.append(label)
            elif step in self.skipped:
                text.append("\n✘ ", "bold")
                text.append(f"{label} (skipped)", "italic")
            else:
                text.append(f"\n· {label}", "dim")
        return text


class LevelLadder(Widget):
    """The escalation ladder (docs/domain.md, section 1), the current level marked."""

    DEFAULT_CSS = """
    LevelLadder { height: 2; width: 1fr; }
    LevelLadder.-lost { color: $text-error; }
    """
    level: reactive[int] = reactive(1)

    def watch_level(self, level: int) -> None:
        self.set_class(level >= Level.LOST, "-lost")

    def render(self) -> Text:
        rungs = Text()
        for n in Level:
            rungs.append(f"[{n}]" if n == self.level else f" {n} ",
                         "bold reverse" if n == self.level else "dim")
        label = LEVEL_LABELS[Level(self.level)]
        return Text.assemble(("Level ", "bold"), f"{self.level}: {label}\n", rungs)
