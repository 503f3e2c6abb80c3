"""scoring.lazy.lazy_names: the one PEP 562 `__getattr__` of the lazy packages, on a package
made for the test (so that nothing imported by other tests hides what is imported when)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture
def pkg(tmp_path: Path) -> Iterator[ModuleType]:
    root = tmp_path / "lazypkg"
    root.mkdir()
    (root / "__init__.py").write_text(
        "from scoring.lazy import lazy_names\n"
        "__getattr__ = lazy_names(globals(), {'Heavy': 'heavy'}, submodules=True)\n")
    (root / "heavy.py").write_text("class Heavy:\n    pass\n")
    (root / "plain.py").write_text("VALUE = 1\n")
    (root / "broken.py").write_text("import no_such_module_anywhere\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import lazypkg
        yield lazypkg
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == "lazypkg" or n.startswith("lazypkg.")]:
            del sys.modules[name]


def test_name_imported_on_first_use_and_kept(pkg: ModuleType) -> None:
    assert "lazypkg.heavy" not in sys.modules
    heavy = pkg.Heavy
    assert "lazypkg.heavy" in sys.modules
    assert heavy is sys.modules["lazypkg.heavy"].Heavy
    assert vars(pkg)["Heavy"] is heavy  # looked up once: the next access is a plain attribute


def test_unknown_name_is_an_attribute_error(pkg: ModuleType) -> None:
    with pytest.raises(AttributeError, match="module 'lazypkg' has no attribute 'nothing'"):
        pkg.nothing  # noqa: B018
    assert not hasattr(pkg, "nothing")


def test_submodule_as_an_eager_import_made_it(pkg: ModuleType) -> None:
    assert pkg.plain.VALUE == 1


def test_submodule_failing_its_own_import_says_so(pkg: ModuleType) -> None:
    with pytest.raises(ModuleNotFoundError) as caught:
        pkg.broken  # noqa: B018
    assert caught.value.name == "no_such_module_anywhere"


def test_without_submodules_a_module_name_is_unknown(tmp_path: Path) -> None:
    from scoring.lazy import lazy_names

    namespace = {"__name__": "scoring", "__package__": "scoring"}
    getattr_ = lazy_names(namespace, {"score": "scorer"})
    assert getattr_("score") is sys.modules["scoring.scorer"].score
    assert namespace["score"] is getattr_("score")
    with pytest.raises(AttributeError):
        getattr_("vocabulary")  # a module of scoring, but not a name it hands out
