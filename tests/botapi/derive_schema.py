"""Derive tests/botapi/methods.json from the official Bot API description.

Tests read only the derived file, so the project never needs the shared checkout at test time.
Usage: python tests/botapi/derive_schema.py [path/to/api.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "telegram-bot-api" / "api.json"
TARGET = Path(__file__).with_name("methods.json")


def summarize(method: dict[str, Any]) -> dict[str, list[str]]:
    """Reduce one method to the parameter facts the fakes need."""
    fields = method.get("fields", [])  # methods without parameters have no "fields"
    return {
        "required": sorted(f["name"] for f in fields if f["required"]),
        "optional": sorted(f["name"] for f in fields if not f["required"]),
        # Only these must stay raw strings when decoding form-encoded values.
        "string_only": sorted(f["name"] for f in fields if f["types"] == ["String"]),
    }


def render(version: str, methods: dict[str, dict[str, list[str]]]) -> str:
    """One method per line, so schema updates give readable diffs."""
    lines = [
        f"  {json.dumps(name)}: {json.dumps(methods[name], sort_keys=True)}"
        for name in sorted(methods)
    ]
    body = ",\n".join(lines)
    return f'{{\n "version": {json.dumps(version)},\n "methods": {{\n{body}\n }}\n}}\n'


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    api = json.loads(source.read_text(encoding="utf-8"))
    methods = {name: summarize(method) for name, method in api["methods"].items()}
    TARGET.write_text(render(api["version"], methods), encoding="utf-8")
    print(f"wrote {len(methods)} methods of {api['version']} to {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
