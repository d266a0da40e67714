"""The layering rules that keep the code easy to change."""

import ast
import re
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", ["domain", "services", "db", "documents"])
def test_inner_layers_never_import_telegram(layer: str) -> None:
    for path in (BOT / layer).rglob("*.py"):
        offending = {m for m in imported_modules(path) if m.split(".")[0] == "telegram"}
        assert not offending, f"{path.relative_to(BOT)} imports {offending}"


def test_callback_codecs_never_import_telegram() -> None:
    offending = {m for m in imported_modules(BOT / "callbacks.py") if m.split(".")[0] == "telegram"}
    assert not offending


# Only services and the composition root (app, context, __main__) reach the database.
NO_DATABASE = ["domain", "handlers", "delivery", "documents", "i18n", "render", "jobs", "menus"]
SQL = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b")


def python_files(name: str) -> list[Path]:
    """A layer's files, whether it is a package or (like render) a module."""
    package, module = BOT / name, BOT / f"{name}.py"
    return sorted(package.rglob("*.py")) + ([module] if module.exists() else [])


def database_imports(modules: set[str]) -> set[str]:
    return {m for m in modules if m == "bot.db" or m.startswith("bot.db.")}


def sql_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value)
    ]


@pytest.mark.parametrize("layer", NO_DATABASE)
def test_outer_and_pure_layers_never_import_the_database(layer: str) -> None:
    files = python_files(layer)
    assert files, layer
    for path in files:
        offending = database_imports(imported_modules(path))
        assert not offending, f"{path.relative_to(BOT)} imports {offending}"


def test_database_imports_are_found_in_every_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from bot.db.groups import group\nfrom bot.db import people\nimport bot.db.x\n"
    )
    assert database_imports(imported_modules(sample)) == {"bot.db.groups", "bot.db", "bot.db.x"}


@pytest.mark.parametrize("layer", ["services", "handlers", "delivery", "domain", "render", "jobs"])
def test_sql_stays_in_the_db_layer(layer: str) -> None:
    for path in python_files(layer):
        assert not sql_literals(path), f"{path.relative_to(BOT)} holds SQL"


def test_sql_literals_are_found_in_plain_and_formatted_strings(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Delete a broadcast (a docstring, not SQL)."""\n'
        'a = "SELECT 1"\n'
        'b = f"UPDATE t SET x = {1}"\n'
        'c = "  WITH x AS (SELECT 1) SELECT * FROM x"\n'
    )
    assert len(sql_literals(sample)) == 3
