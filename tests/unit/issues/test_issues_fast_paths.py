"""The fast paths of triage's text handling agree with their plain definitions."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from walletsupport.issues import _text, builtin_categories
from walletsupport.issues._matcher import Matcher, _Entry
from walletsupport.values import Locale

_MATCHER = Matcher(builtin_categories())
_ZH_CHARS = sorted(
    {
        char
        for category in builtin_categories()
        for term in category.vocabulary
        if term.locale is Locale.ZH
        for part in term.parts
        for char in part
    }
    | set("".join(_text.ZH_NEGATORS))
)


def _plain_normalise(text: str) -> str:
    apostrophes = str.maketrans(dict.fromkeys("\u2019\u2018`\u00b4", "'"))
    folded = unicodedata.normalize("NFKC", text).translate(apostrophes).lower()
    return re.sub(r"([^\W\d_])\1{2,}", r"\1\1", folded)


def _plain_scan_zh(matcher: Matcher, text: str) -> list[tuple[int, int, int, _Entry]]:
    # Every phrase indexed by its first character is tried at every Chinese character.
    found: list[tuple[int, int, int, _Entry]] = []
    for run in _text.CJK_RUN.finditer(text):
        for i in range(run.start(), run.end()):
            for first, entry in matcher._zh.get(text[i], []):
                if not text.startswith(first, i):
                    continue
                end = i + len(first)
                for (piece,) in entry.parts[1:]:
                    at = text.find(piece, end, end + _text.ZH_GAP + len(piece))
                    if at < 0 or _text.has_break(text, end, at):
                        end = -1
                        break
                    end = at + len(piece)
                if end > 0:
                    found.append((i, end, 1, entry))
    return found


@given(st.text(alphabet=st.sampled_from("aAbB1 _’‘`´'ＡＢ\nééééL")))
def test_normalise_agrees_with_its_plain_definition(text: str) -> None:
    assert _text.normalise(text) == _plain_normalise(text)


def test_normalise_still_shortens_long_letter_runs() -> None:
    assert _text.normalise("PLEEEASE dont’t") == "pleease dont't"


@given(st.text(alphabet=st.sampled_from([*_ZH_CHARS, "，", " ", "a"]), max_size=30))
def test_chinese_scan_finds_what_trying_every_phrase_finds(text: str) -> None:
    found: list[tuple[int, int, int, _Entry]] = []
    _MATCHER._scan_zh(text, found)
    assert found == _plain_scan_zh(_MATCHER, text)


def test_chinese_scan_matches_a_one_character_phrase_at_the_end_of_the_text() -> None:
    found: list[tuple[int, int, int, _Entry]] = []
    _MATCHER._scan_zh("我没", found)
    assert (1, 2) in [(start, end) for start, end, _, _ in found]
