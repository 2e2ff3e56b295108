"""The shape of the code, checked by reading it (ast), with no database.

* ``crimedata`` (imports, stored figures, access rules) is the bottom layer: it imports nothing from
  ``assessments``, which builds on it; neither (nor the site's own pages) imports ``demo``.
* No view module imports another view module: what two pages share lives in a builder or helper both use.
* A project import inside a function says why in a comment containing "cycle" (on the line before or on
  the same line): the one good reason is an import cycle that cannot be broken otherwise. Every other
  import sits at the top of its module.

Known exceptions: code that other work in progress is moving or reshaping. Each set may only shrink, and
``test_known_exceptions_are_still_needed`` fails when an entry is no longer needed, so whoever removes the
cause removes the entry here.
"""

from __future__ import annotations

import ast
import functools
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("crimedata", "assessments", "demo", "csp_portal")

# None left: keep these sets empty. They stay so that future moves can be staged the same way.
CRIMEDATA_IMPORTS_OF_ASSESSMENTS_BEING_MOVED: set[str] = set()
VIEWS_IMPORTING_VIEWS_TO_FIX: set[tuple[str, str]] = set()
FUNCTION_LEVEL_IMPORTS_TO_FIX: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    path: str  # the importing file, relative to the repository
    named: str  # the module as the statement names it: after "from", after "import", or import_module's text
    modules: tuple[str, ...]  # every absolute module it may import ("from a import b" may import a.b)
    in_function: bool
    why: str  # the line before the statement and the statement's own lines


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    """The absolute module of ``from ... import``, resolving relative imports against the file's package."""
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _is_import_module(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    return name == "import_module" and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)


@functools.lru_cache(maxsize=None)
def imports(path: Path) -> tuple[Import, ...]:
    """Every import statement and importlib.import_module("...") call in a file."""
    source = path.read_text()
    lines = source.splitlines()
    relative = path.relative_to(ROOT).as_posix()
    found: list[Import] = []

    def record(node, named: str, modules: list[str], in_function: bool) -> None:
        why = "\n".join(lines[max(node.lineno - 2, 0): node.end_lineno])
        found.append(Import(relative, named, tuple(modules), in_function, why))

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    record(child, alias.name, [alias.name], in_function)
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(child, path)
                record(child, base, [base] + [f"{base}.{alias.name}" for alias in child.names], in_function)
            elif _is_import_module(child):
                record(child, child.args[0].value, [child.args[0].value], in_function)
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, inside)

    visit(ast.parse(source, filename=str(path)), False)
    return tuple(found)


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _top(module: str) -> str:
    return module.split(".")[0]


def is_views_module(module: str) -> bool:
    """A module of views: inside a views package, or a views.py or *_views.py (a views package itself holds
    no views)."""
    parts = module.split(".")
    if parts[-1] == "views":
        return not ROOT.joinpath(*parts).is_dir()
    return "views" in parts[:-1] or parts[-1].endswith("_views")


def crimedata_imports_of_assessments() -> set[str]:
    return {
        i.path for path in _files("crimedata") for i in imports(path)
        if any(_top(module) == "assessments" for module in i.modules)
    }


def views_importing_views() -> set[tuple[str, str]]:
    out = set()
    for package in PROJECT_PACKAGES:
        for path in _files(package):
            if "views" not in path.relative_to(ROOT).parts[:-1]:
                continue
            itself = _module_name(path)
            for i in imports(path):
                others = [m for m in i.modules if _top(m) in PROJECT_PACKAGES and is_views_module(m) and m != itself]
                if others:
                    out.add((i.path, i.named if is_views_module(i.named) else others[-1]))
    return out


def function_imports_without_a_why() -> set[tuple[str, str]]:
    return {
        (i.path, i.named)
        for package in PROJECT_PACKAGES for path in _files(package) for i in imports(path)
        if i.in_function and _top(i.named) in PROJECT_PACKAGES and "cycle" not in i.why.lower()
        # A data migration imports the reference data it installs when it runs, never at module level, so
        # that loading the migration graph does not import the apps' code: that is the pattern, not a smell.
        and "/migrations/" not in i.path
    }


def test_crimedata_imports_nothing_from_assessments():
    offenders = crimedata_imports_of_assessments() - CRIMEDATA_IMPORTS_OF_ASSESSMENTS_BEING_MOVED
    assert not offenders, (
        "crimedata is the layer below assessments and must not import it; move the code that needs "
        f"assessments into assessments: {sorted(offenders)}"
    )


def test_no_live_code_imports_the_demo():
    live = [path for package in ("crimedata", "assessments", "csp_portal") for path in _files(package)]
    offenders = {i.path for path in live for i in imports(path) if any(_top(m) == "demo" for m in i.modules)}
    assert not offenders, f"The demo is loaded by manage.py load_demo only; no page may import it: {sorted(offenders)}"


def test_no_view_module_imports_another():
    offenders = views_importing_views() - VIEWS_IMPORTING_VIEWS_TO_FIX
    assert not offenders, (
        "A view module imports another view module; move what both need into a page builder or a helper "
        f"both import: {sorted(offenders)}"
    )


def test_project_imports_inside_functions_say_why():
    offenders = function_imports_without_a_why() - FUNCTION_LEVEL_IMPORTS_TO_FIX
    assert not offenders, (
        "Import these at the top of the module; if that makes an import cycle that cannot be broken, say so "
        f"in a comment containing 'cycle' on the line before: {sorted(offenders)}"
    )


def test_the_scanner_finds_what_the_rules_are_about(tmp_path, monkeypatch):
    """A check that finds nothing proves nothing: relative, function-level, commented and importlib imports."""
    package = tmp_path / "crimedata" / "views"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "pages.py").write_text(
        "import importlib\n"
        "from . import other\n"
        "from ..policeuk_views import thing\n"
        "\n"
        "def page():\n"
        "    from assessments.wording import format_count\n"
        "    # models imports this module: an import cycle\n"
        "    from crimedata import models\n"
        "    other.use(models)\n"
        "    loaded = importlib.import_module('assessments.migrations.0003_plans_reference_data')\n"
        "    from demo import content  # breaks a cycle with demo\n"
        "    return loaded, content, format_count\n"
    )
    (tmp_path / "csp_portal").mkdir()
    (tmp_path / "csp_portal" / "views.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    here = "crimedata/views/pages.py"
    assert crimedata_imports_of_assessments() == {here}
    assert views_importing_views() == {(here, "crimedata.views.other"), (here, "crimedata.policeuk_views")}
    assert function_imports_without_a_why() == {
        (here, "assessments.wording"), (here, "assessments.migrations.0003_plans_reference_data"),
    }
    assert is_views_module("csp_portal.views") and not is_views_module("crimedata.views")
    assert not is_views_module("crimedata.access")


def test_known_exceptions_are_still_needed():
    """When the cause of an exception is gone, delete the exception from its set above."""
    assert CRIMEDATA_IMPORTS_OF_ASSESSMENTS_BEING_MOVED <= crimedata_imports_of_assessments()
    assert VIEWS_IMPORTING_VIEWS_TO_FIX <= views_importing_views()
    assert FUNCTION_LEVEL_IMPORTS_TO_FIX <= function_imports_without_a_why()
