"""Properties of the command line's tables and name hints (hypothesis)."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from walletsupport.cli._table import Section, cell_width, render_table, unknown_name

_TEXT = st.text(
    alphabet=st.sampled_from(
        list(string.ascii_letters + string.digits + " ,-/()") + list("账户被锁定问题")
    ),
    max_size=60,
)


@st.composite
def tables(draw):
    columns = draw(st.integers(1, 6))
    headers = [
        draw(st.text(string.ascii_uppercase, min_size=1, max_size=8)) for _ in range(columns)
    ]
    rows = draw(st.lists(st.lists(_TEXT, min_size=columns, max_size=columns), max_size=8))
    wrap = draw(st.sets(st.integers(0, columns - 1)))
    width = draw(st.integers(40, 120))
    return headers, rows, sorted(wrap), width


@given(tables())
def test_no_line_is_wider_than_the_table(table):
    headers, rows, wrap, width = table
    rendered = render_table(
        headers, [*rows, Section("a section title " * 10)], wrap=wrap, width=width
    )
    assert all(cell_width(line) <= width for line in rendered.splitlines())


@given(tables())
def test_wrapped_cells_keep_all_their_text_when_the_row_fits(table):
    headers, rows, _, width = table
    rendered = render_table(headers, rows, wrap=range(len(headers)), width=width * 10)
    flat = "".join(rendered.split())
    for row in rows:
        for cell in row:
            assert "".join(cell.split()) in flat


@given(
    st.text(string.ascii_lowercase + "_", min_size=1, max_size=20),
    st.lists(st.text(string.ascii_lowercase + "_", min_size=1, max_size=20), max_size=30),
)
def test_an_unknown_name_message_names_it_and_every_valid_name(name, valid):
    message = unknown_name("thing", name, valid)
    assert repr(name) in message
    assert all(v in message for v in valid)
    assert "\n" not in message
