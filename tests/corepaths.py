"""Paths the core tests share (import as `from corepaths import ...`)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good" / "payment-double-charge.yaml"
