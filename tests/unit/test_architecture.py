"""The layering rules that keep the code easy to change."""

import ast
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


def test_handlers_hold_no_sql() -> None:
    for path in (BOT / "handlers").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "bot.db" not in imported_modules(path) and "SELECT " not in source, path.name
