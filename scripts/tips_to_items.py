"""Run once (2 December 2026): the written tips from `content/tips/<lang>/<name>.md`
(a header, then Telegram HTML with <b> and <i>) to the layout of an exported library item,
`content/tips/<lang>/<name>/item.json`: the same metadata fields, the text as plain text and
Telegram entities. The tip's id (`<lang>/<name>`) and its text stay the same. It read the
tips with the Markdown loader of that day (bot/services/library.py before this change); now
that no .md files are left, it does nothing.

    .venv/bin/python scripts/tips_to_items.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.library import METADATA, FilePart, Metadata, PartKind
from bot.services.library import CONTENT_DIR, Library

_TAG = re.compile(r"</?(b|i)>")
_ENTITY = {"b": "bold", "i": "italic"}


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities_of(html: str) -> tuple[str, list[dict[str, object]]]:
    """Plain text and its entities, from text with only balanced <b> and <i> (checked by the
    loader) and no other markup characters."""
    plain, entities, open_at = "", [], []
    position = 0
    for match in _TAG.finditer(html):
        plain += html[position : match.start()]
        position = match.end()
        if match.group(0).startswith("</"):
            start, tag = open_at.pop()
            entities.append({"type": _ENTITY[tag], "offset": start, "length": utf16(plain) - start})
        else:
            open_at.append((utf16(plain), match.group(1)))
    plain += html[position:]
    return plain, sorted(entities, key=lambda e: (e["offset"], -int(e["length"])))  # type: ignore[call-overload]


def main() -> None:
    library = Library.load()
    for path in sorted(CONTENT_DIR.glob("*/*.md")):
        tip = library.tip(f"{path.parent.name}/{path.stem}")
        assert tip is not None
        text, entities = entities_of(tip.text)
        part = FilePart(PartKind.TEXT, None, text, tuple(entities))
        metadata = Metadata(tip.topic, tip.language, tip.title, None, (part,))
        folder = path.with_suffix("")
        folder.mkdir()
        (folder / METADATA).write_text(metadata.to_json(), encoding="utf-8")
        path.unlink()
        print(f"{tip.id}: {len(entities)} entities")


if __name__ == "__main__":
    main()
