"""What a field's values may hold, in words, for the hints under maps and string lists.

`key ≤512 chars: a letter or '_', then letters, digits and _`, `each ≤32 chars: digits, letters
and -`: lengths and the pattern read by smjob.pattern_words (F1 still shows the regex).
"""

from __future__ import annotations

from smjob.schema import Node

ANY = (".*", ".+", "[\\S\\s]*")  # patterns that say nothing worth a hint


def length_text(node: Node | None, noun: str) -> str:
    """`key ≤128 chars`, `each 1..64 chars`; "" without a node."""
    if node is None:
        return ""
    text = f"{noun} "
    low, high = node.min, node.max
    if high is not None and not low:
        return text + f"≤{int(high)} chars"
    if low is not None or high is not None:
        return text + f"{'' if low is None else int(low)}..{'' if high is None else int(high)} chars"
    return text + node.constraint_text()


def pattern_text(node: Node | None) -> str:
    """What a value may hold, in words where they can be had (F1 shows the regex); "" if anything."""
    if node is None or not node.pattern or node.pattern in ANY:
        return ""
    from smjob.pattern_words import template  # its parser and tables cost memory: loaded when a hint needs it

    words = template(node.pattern)
    return "pattern (F1 shows it)" if words.startswith("a value matching") else words


def allowed_count(node: Node) -> str:
    """`(allowed 0..50)`: how many entries or items the map or list may hold."""
    low = "" if node.min is None else int(node.min)
    high = "" if node.max is None else int(node.max)
    return f"(allowed {low}..{high})"


def limit_text(node: Node, noun: str) -> str:
    """`key ≤512 chars: a letter or '_', then ...`: the length, then the pattern in words if any."""
    words = pattern_text(node)
    return length_text(node, noun) + (f": {words}" if words else "")
