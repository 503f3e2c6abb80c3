"""A footer that is built again only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

__all__ = ["SteadyFooter"]


class SteadyFooter(Footer):
    """Textual's Footer, which removes and mounts all its keys again every time the screen's
    bindings may have changed: a focus change, a screen shown or hidden, a check_action to ask
    again. A screen opening asks that about ten times in a row, each a new layout of the screen,
    and the last of them land in the first reply of a call (issue 12). Here the requests that
    come before the footer is rebuilt are one, and the footer is rebuilt only when what it
    would show differs from what it shows."""

    _pending = False
    _shown: Hashable | None = None

    def compose(self) -> ComposeResult:
        """The keys at once (Textual's footer is empty until the screen's first refresh, then
        built, which lays the screen out again as the first reply comes)."""
        self._bindings_ready = True
        self._shown = self._keys()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    def _keys(self) -> Hashable:
        """What compose shows: the active bindings shown, in order, with their state, and the
        command palette's key (the hidden ones, the focused list's arrows, do not count)."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        return (self.compact, self.show_command_palette, tuple(
            (key, b.action, b.description, b.group, app.get_key_display(b), enabled, tooltip)
            for key, (_, b, enabled, tooltip) in self.screen.active_bindings.items()
            if b.show or key == palette))

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        keys = self._keys()
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
