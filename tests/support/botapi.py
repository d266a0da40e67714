"""Bot API schema checks shared by the Telegram fakes.

The schema is tests/botapi/methods.json, derived by tests/botapi/derive_schema.py, so tests
never depend on files outside the repository.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

METHODS_FILE = Path(__file__).resolve().parents[1] / "botapi" / "methods.json"


class BotApiViolation(AssertionError):
    """The code under test called the Bot API in a way real Telegram would reject."""


@dataclass(frozen=True)
class MethodSpec:
    name: str
    required: frozenset[str]
    optional: frozenset[str]
    string_only: frozenset[str]

    @property
    def params(self) -> frozenset[str]:
        return self.required | self.optional


@cache
def load_methods() -> dict[str, MethodSpec]:
    """Read methods.json once per process; it never changes during a run."""
    raw = json.loads(METHODS_FILE.read_text(encoding="utf-8"))["methods"]
    return {
        name: MethodSpec(
            name=name,
            required=frozenset(spec["required"]),
            optional=frozenset(spec["optional"]),
            string_only=frozenset(spec["string_only"]),
        )
        for name, spec in raw.items()
    }


@cache
def schema_version() -> str:
    return str(json.loads(METHODS_FILE.read_text(encoding="utf-8"))["version"])


def check_call(method: str, params: Mapping[str, object]) -> list[str]:
    """List every way this call differs from the official method signature."""
    spec = load_methods().get(method)
    if spec is None:
        return [f"unknown method {method!r}"]
    missing = sorted(spec.required - params.keys())
    unknown = sorted(params.keys() - spec.params)
    return [f"{method}: missing required parameter {name!r}" for name in missing] + [
        f"{method}: unknown parameter {name!r}" for name in unknown
    ]
