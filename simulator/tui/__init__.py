"""The trainee's TUI (Textual). The only package of Hotseat that imports Textual."""

from .app import HotseatApp, make_app

__all__ = ["HotseatApp", "make_app"]
