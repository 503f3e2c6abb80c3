"""Reading in bulk: what the reports and rescoring share.

`paused_gc`: Python's cyclic garbage collector walks every container object each time enough of
them were made; building 100,000 rows or results that hold no cycles, it only spends time (about
a tenth of `rescore` at 100,000 calls). It is paused for the bulk step and resumed after, as
it was; nothing is left for it to collect that would not be collected later.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused for the block (resumed if it was running)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
