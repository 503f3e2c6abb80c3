"""Names of a package imported from their modules on first use (PEP 562): the one `__getattr__`
of every package that keeps its heavy modules (pydantic, SQLAlchemy, the screens of a call) out
of start-up (issue 12). In `scoring`, the lowest layer, so that both packages may use it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(namespace: dict[str, Any], homes: Mapping[str, str],
               submodules: bool = False) -> Callable[[str], Any]:
    """A module's `__getattr__`: `namespace` is the module's `globals()`, `homes` each name's
    module, relative to the module's package. A name is imported from its module when first
    asked for and kept in `namespace`, so it is looked up once. With `submodules`, any other
    name that is a module of the package (`db.engine`) is imported as an eager import would
    have made it an attribute; anything else is an AttributeError."""
    name_of, package = namespace["__name__"], namespace["__package__"]

    def __getattr__(name: str) -> Any:
        module = homes.get(name)
        if module is None:
            if submodules:
                try:
                    return import_module(f".{name}", package)
                except ModuleNotFoundError as exc:
                    if exc.name != f"{package}.{name}":
                        raise
            raise AttributeError(f"module {name_of!r} has no attribute {name!r}") from None
        value = getattr(import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    return __getattr__
