"""From a section's list items to numbered priorities with nesting.

Item levels are made relative to the shallowest item of the section, so a list that the source
indents once (level 2 everywhere) still gives level-1 priorities. Deeper items become level-2
sub-items of the level-1 item before them; anything deeper still is folded into level 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.document import Block
from extractors.normalise import normalise_item

MAX_LEVEL = 2


@dataclass(frozen=True, slots=True)
class Item:
    """One priority as published: verbatim text, 1-based position, nesting and where it stands."""

    text: str
    position: int
    level: int
    parent_position: int | None
    block: Block


def number_items(blocks: Sequence[Block]) -> list[Item]:
    """Number a section's items in order; position counts all items of the section."""
    if not blocks:
        return []
    base = min(block.level for block in blocks)
    items: list[Item] = []
    parent: int | None = None
    for block in blocks:
        text = normalise_item(block.text)
        if not text:
            continue
        level = min(block.level - base + 1, MAX_LEVEL)
        if level > 1 and parent is None:
            level = 1  # a sub-item with nothing above it is a priority of its own
        position = len(items) + 1
        items.append(Item(text, position, level, parent if level > 1 else None, block))
        if level == 1:
            parent = position
    return items
