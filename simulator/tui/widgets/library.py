"""The scenario library: filters (persona, problem, difficulty, language), search and a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Select

from simulator.catalog import Filters, choices, filter_scenarios

from .safe import line

if TYPE_CHECKING:
    from simulator.scenario import Scenario

__all__ = ["LibraryBrowser"]

STARS = "★★★★★"


class LibraryBrowser(Vertical):
    """Posts `LibraryBrowser.Chosen` when the rep picks a scenario (Enter or click)."""

    DEFAULT_CSS = """
    LibraryBrowser { height: 1fr; }
    LibraryBrowser > #filters { height: 1; margin-bottom: 1; }
    LibraryBrowser > #filters > Select { width: 1fr; margin-right: 1; }
    LibraryBrowser > #filters > Input { width: 1fr; }
    LibraryBrowser > DataTable { height: 1fr; }
    """

    class Chosen(Message):
        def __init__(self, scenario: Scenario) -> None:
            super().__init__()
            self.scenario = scenario

    def __init__(self, scenarios: list[Scenario], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.scenarios = sorted(scenarios, key=lambda s: (s.difficulty, s.title))
        self.shown: list[Scenario] = []

    def compose(self) -> ComposeResult:
        values = choices(self.scenarios)
        with Horizontal(id="filters"):
            # option prompts are Text: a value from a file is never parsed as markup
            yield Select([(line(str(v)), v) for v in values["persona"]], prompt="Persona",
                         id="persona", compact=True)
            yield Select([(line(str(v)), v) for v in values["problem"]], prompt="Problem",
                         id="problem", compact=True)
            yield Select([(line(f"{v} {STARS[:int(v)]}"), v) for v in values["difficulty"]],
                         prompt="Difficulty", id="difficulty", compact=True)
            yield Select([(line(str(v)), v) for v in values["locale"]], prompt="Language",
                         id="locale", compact=True)
            yield Input(placeholder="Search  /", id="search", compact=True)
        table: DataTable[Text] = DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
        table.add_columns("Scenario", "Persona", "Problem", "Difficulty", "Lang")
        yield table

    def on_mount(self) -> None:
        self.refilter()

    def filters(self) -> Filters:
        def value(name: str) -> object:
            v = self.query_one(f"#{name}", Select).value
            return None if v is Select.NULL else v
        return Filters(persona=value("persona"), problem=value("problem"),  # type: ignore[arg-type]
                       difficulty=value("difficulty"), locale=value("locale"),  # type: ignore[arg-type]
                       search=self.query_one("#search", Input).value)

    @on(Select.Changed)
    @on(Input.Changed, "#search")
    def refilter(self) -> None:
        self.shown = filter_scenarios(self.scenarios, self.filters())
        table = self.query_one(DataTable)
        table.clear()
        for s in self.shown:
            # cells are Text: a str cell is parsed as markup ([@click=...] would run)
            table.add_row(line(s.title), line(s.persona), line(s.problem or ""),
                          line(STARS[:s.difficulty]), line(s.locale), key=s.id)
        table.border_subtitle = f"{len(self.shown)} of {len(self.scenarios)}"

    @on(DataTable.RowSelected, "#scenarios")
    def chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        scenario = next(s for s in self.shown if s.id == event.row_key.value)
        self.post_message(self.Chosen(scenario))

    def focus_search(self) -> None:
        self.query_one("#search", Input).focus()
