"""Library items on disk, one folder each: its metadata file (`item.json`: topic, language,
title, attribution, and the parts' texts, entities and media file names) and its media.
`library import` reads exported items this way, and the written tips in `content/tips` are
text-only items read the same way. Everything is checked before anything is used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.domain.library import METADATA, Metadata, parse_metadata


class TransferProblem(Exception):
    """One line for the operator, naming the item or file."""


@dataclass(frozen=True)
class Loaded:
    folder: Path
    metadata: Metadata


def read_items(source: Path, topics: frozenset[str], languages: Sequence[str]) -> list[Loaded]:
    """Every item folder under `source`, checked before anything is uploaded."""
    if not source.is_dir():
        raise TransferProblem(f"{source} is not a folder")
    loaded = []
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        meta = folder / METADATA
        if not meta.is_file():
            raise TransferProblem(f"{meta}: missing")
        try:
            metadata = parse_metadata(meta.read_text(encoding="utf-8"), topics, languages)
        except (ValueError, UnicodeDecodeError) as error:
            raise TransferProblem(f"{meta}: {error}") from None
        for part in metadata.parts:
            if part.file is not None and not (folder / part.file).is_file():
                raise TransferProblem(f"{folder / part.file}: missing")
        loaded.append(Loaded(folder, metadata))
    if not loaded:
        raise TransferProblem(f"{source} has no item folders (each with {METADATA})")
    return loaded
