"""Plain-text tables that fit a terminal, and "did you mean" hints for unknown names.

Widths are counted in terminal cells: a Chinese character takes two. Columns marked
``wrap`` are wrapped inside their cell when the row would be wider than the table width;
any other cell that still does not fit is cut with an ellipsis.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence

from walletsupport._shown import shown
from walletsupport.errors import InvalidInputError

__all__ = ["TABLE_WIDTH", "Section", "cell_width", "pick", "render_table", "unknown_name"]

#: The widest line a table prints (a classic terminal).
TABLE_WIDTH = 80
_GAP = "  "
_ELLIPSIS = "…"
_MIN_WRAP = 10


def cell_width(text: str) -> int:
    """The number of terminal cells ``text`` takes (wide East Asian characters take two).

    Examples:
        >>> cell_width("abc"), cell_width("账户被锁定")
        (3, 10)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + _ELLIPSIS


def _tokens(text: str) -> list[str]:
    """Breakable pieces: words with their trailing space, wide characters one by one."""
    pieces: list[str] = []
    word = ""
    for ch in text:
        if cell_width(ch) == 2:
            if word:
                pieces.append(word)
                word = ""
            pieces.append(ch)
        else:
            word += ch
            if ch in " ,":
                pieces.append(word)
                word = ""
    if word:
        pieces.append(word)
    return pieces


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for piece in _tokens(text):
        if cell_width(line + piece.rstrip()) <= width:
            line += piece
            continue
        if line:
            lines.append(line.rstrip())
        while cell_width(piece.rstrip()) > width:  # a single piece wider than the cell
            head = _cut(piece, width + 1)[:-1] or piece[0]
            lines.append(head)
            piece = piece[len(head) :]
        line = piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


class Section:
    """A title line between a table's rows (not part of the columns)."""

    __slots__ = ("title",)

    def __init__(self, title: str) -> None:
        self.title = title


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_width(text))


def render_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str] | Section],
    *,
    wrap: Iterable[int] = (),
    width: int = TABLE_WIDTH,
) -> str:
    """Rows under a header, columns separated by two spaces, no line wider than ``width``.

    Examples:
        >>> print(render_table(["ID", "NAME"], [["a", "first"], ["bb", "second"]]))
        ID  NAME
        a   first
        bb  second
        >>> table = render_table(["ID", "NAME"], [["x", "word " * 30]], wrap=[1], width=30)
        >>> max(cell_width(line) for line in table.splitlines()) <= 30
        True
    """
    table: list[list[str] | Section] = [
        list(headers),
        *(row if isinstance(row, Section) else list(row) for row in rows),
    ]
    count = len(headers)
    cells_only = [row for row in table if not isinstance(row, Section)]
    natural = [max(cell_width(row[i]) for row in cells_only) for i in range(count)]
    widths = list(natural)
    budget = width - len(_GAP) * (count - 1)
    wrapping = [i for i in wrap if 0 <= i < count]
    # Narrow the wrapping columns first (widest first, down to a readable width), then cut the
    # others, then narrow everything down to two cells (a wide character), until a row fits.
    others = [i for i in range(count) if i not in wrapping]
    for columns, floor in ((wrapping, _MIN_WRAP), (others, 4), (list(range(count)), 2)):
        while sum(widths) > budget:
            shrinkable = [i for i in columns if widths[i] > floor]
            if not shrinkable:
                break
            widths[max(shrinkable, key=lambda i: widths[i])] -= 1
    lines: list[str] = []
    for row in table:
        if isinstance(row, Section):
            lines.append(_cut(row.title, width))
            continue
        cells = [
            _wrap(row[i], widths[i]) if i in wrapping else [_cut(row[i], widths[i])]
            for i in range(count)
        ]
        for depth in range(max(len(c) for c in cells)):
            parts = [
                _pad(cells[i][depth] if depth < len(cells[i]) else "", widths[i])
                for i in range(count)
            ]
            lines.append(_GAP.join(parts).rstrip())
    return "\n".join(lines)


def unknown_name(what: str, name: str, valid: Iterable[str], *, hint: str = "") -> str:
    """The message for an unknown name: the nearest valid names, or all of them.

    Examples:
        >>> unknown_name("workflow", "tiket", ["ticket", "account_lock"])
        "unknown workflow 'tiket'; did you mean 'ticket'? (valid: account_lock, ticket)"
    """
    names = sorted(set(valid))
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6) if len(name) <= 100 else []
    message = f"unknown {what} {shown(name)}"
    if close:
        message += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    if names and len(names) <= 40:
        message += (" (valid: " if close else "; valid: ") + ", ".join(names)
        message += ")" if close else ""
    elif hint:
        message += f"; {hint}"
    return message


def pick(what: str, name: str, valid: Sequence[str], *, hint: str = "") -> str:
    """``name`` if it is one of ``valid``; otherwise an ``InvalidInputError`` naming the choices.

    Examples:
        >>> pick("line", "b", ["a", "b"])
        'b'
    """
    if name in valid:
        return name
    raise InvalidInputError(unknown_name(what, name, valid, hint=hint))
