"""Text handling for triage: normalisation, tokens, a light English stemmer, edit distance.

Everything here is a pure function of its arguments. The word lists are language facts (which
words negate, which short words are too common to correct as typos), not category vocabulary:
category vocabulary lives in each [IssueCategory][walletsupport.issues.IssueCategory].
"""

from __future__ import annotations

import re
import unicodedata

__all__: list[str] = []

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
#: Sentence and clause breaks: a gap or a negation never reaches across one.
BREAK_CHARS = frozenset(".!?;,:。！？；，：、\n")
TOKEN = re.compile(
    rf"(?P<cjk>[{CJK_CHARS}]+)"
    rf"|(?P<word>[^\W_{CJK_CHARS}]+(?:'[^\W_{CJK_CHARS}]+)*)"
    r"|(?P<brk>[.!?;,:。！？；，：、\n]+)"
)
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_ANY_TRIPLE = re.compile(r"(.)\1\1")  # a quick necessary condition for _REPEATS
_APOSTROPHES = ("\u2019", "\u2018", "`", "\u00b4")  # all read as "'"

#: English words that deny what follows ("I did NOT forget my password").
EN_NEGATORS = frozenset({"not", "never", "no"})
#: A negator followed by one of these does not deny the next term ("not able to", "no longer").
EN_NEGATION_EXCEPTIONS = frozenset(
    {"able", "only", "just", "sure", "idea", "longer", "one", "matter", "way", "even"}
)
#: Chinese negators. A plain 不 is left out on purpose: 登不上, 打不开, 不记得 are complaints,
#: not denials; vocabulary phrases that contain a negator hide it (longest match wins).
ZH_NEGATORS = ("不是", "并不是", "并没有", "没有", "没", "从没", "从来没", "并非", "不曾", "未曾")
#: "can't", "won't", "couldn't" report that something fails, they deny nothing.
EN_INABILITY = frozenset({"can", "could", "will", "would"})
EN_NEGATION_WINDOW = 3  # tokens from the negator to the start of the term it denies
ZH_NEGATION_WINDOW = 2  # characters between the negator and the term it denies
EN_GAP = 3  # words a "…" may skip
ZH_GAP = 4  # characters a "…" may skip

_CONTRACTION_BASES = {
    "can": "can",
    "ca": "can",
    "won": "will",
    "wo": "will",
    "ai": "is",
    "sha": "shall",
}
_NO_APOSTROPHE = {
    "dont": ("do", "not"),
    "doesnt": ("does", "not"),
    "didnt": ("did", "not"),
    "cant": ("can", "not"),
    "cannot": ("can", "not"),
    "isnt": ("is", "not"),
    "arent": ("are", "not"),
    "wasnt": ("was", "not"),
    "werent": ("were", "not"),
    "havent": ("have", "not"),
    "hasnt": ("has", "not"),
    "hadnt": ("had", "not"),
    "couldnt": ("could", "not"),
    "wouldnt": ("would", "not"),
    "shouldnt": ("should", "not"),
    "wont": ("will", "not"),
    "aint": ("is", "not"),
    "im": ("i", "am"),
    "ive": ("i", "have"),
    "pls": ("please",),
    "plz": ("please",),
}

#: Frequent English words never "corrected" as typos of a vocabulary word
#: ("cash" is not a typo of "crash", "change" not of "charge").
COMMON_WORDS = frozenset(
    # a word list reads better as text than as 300 quoted strings
    """
    about above after again against all also always am among an and another any anyone
    anything app apps are around as ask asked at away back bad balance bank be because been
    before being below best better between big both bought but buy by call called came can
    card cards case cash change changed check checked close come coming could customer day
    days did different do does doing done down each either else email enough even ever every
    everything fine first for found friend friends from get gets getting give given go goes
    going gone good got great had happen happened has have having he hello help her here
    hers hey hi him his hold home hour hours how however if in into is it its just keep kind
    know last later least less let like line little long look looking looks lot made make
    many may me mean might mine money month more most much must my myself name need needs
    never new next nice night no none nor not nothing now number of off often ok okay old on
    once one only open or order other our out over own paid pay people phone place please
    point price put quite rather read real really right said same saw say says see seen send
    sent set several she should show shows since small so some someone something sometimes
    soon still store such sure take taken tell than thank thanks that the their them then
    there these they thing things think this those though through time times to today told
    too took try trying two under until up upon us use used using very wait want wanted was
    way we week weeks well went were what when where whether which while who whole why will
    with without work worked working works would yes yet you your yours yesterday cost costs
    chance hand happy hate love shop shops sale sales stock catch cache match watch batch
    lock look
    """.split()  # noqa: SIM905
)


#: Function words that carry no topic, skipped by the similarity signal (not by keywords).
FUNCTION_WORDS = frozenset(
    """
    a an the and or but if so as at by for from in into of on onto to with about than then
    i me my mine myself we us our you your he him his she her it its they them their this that
    these those there here what which who whom whose when where why how is am are was were be
    been being do does did doing have has had having will would shall should can could may
    might must just also too very really quite even still yet already again ever only some
    any all each every both either neither other another such same own more most much many
    few lot lots hi hello hey thanks thank please pls plz thx dear sir madam ok okay yes yeah
    um uh oh lol guys team anyone something anything everything someone's up out over off
    now today yesterday tonight morning afternoon evening week weeks day days month months
    time times get got gets getting go goes going went gone like want wanted need needs
    know think see said say says let help hope sure well
    """.split()  # noqa: SIM905
)


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), one kind of apostrophe, lower case, and runs of three
    or more identical letters shortened to two ("pleeease" -> "pleease")."""
    folded = unicodedata.normalize("NFKC", text)
    for apostrophe in _APOSTROPHES:  # str.replace is much faster than str.translate here
        folded = folded.replace(apostrophe, "'")
    folded = folded.lower()
    if _ANY_TRIPLE.search(folded) is None:  # most messages: a much faster scan than the sub
        return folded
    return _REPEATS.sub(r"\1\1", folded)


def expand(word: str) -> tuple[str, ...]:
    """Split contractions: "didn't" -> ("did", "not"); "it's" -> ("it",); "dont" -> (do, not)."""
    if "'" in word:
        if word.endswith("n't"):
            base = word[:-3]
            return (_CONTRACTION_BASES.get(base, base), "not") if base else ("not",)
        head = word.split("'", 1)[0]
        return (head,) if head else ()
    return _NO_APOSTROPHE.get(word, (word,))


def stem(word: str) -> str:
    """A deliberately light English stemmer, applied identically to vocabulary and text.

    It only has to map inflections of one word onto one key ("locks", "locked", "locking" ->
    "lock"; "charge", "charged", "charges" -> "charg"), not to produce real words.
    """
    w = word
    if len(w) > 4 and w.endswith(("ies", "ied")):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    stripped = False
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            stripped = True
            break
    if stripped and len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeioulsz":
        w = w[:-1]
    if len(w) >= 4 and w.endswith("e") and not w.endswith("ee"):
        w = w[:-1]
    return w


def deletions(word: str) -> set[str]:
    """The word and every string one deletion away from it."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or
    swap of two adjacent letters (optimal string alignment distance <= 1)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def has_break(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a sentence or clause break.

    Chinese writes no spaces inside a phrase, so whitespace between two Chinese characters
    is a clause break too (casual messages use it instead of a comma: "我啥也没干 钱没了").
    """
    for i in range(start, end):
        ch = text[i]
        if ch in BREAK_CHARS:
            return True
        if (
            ch.isspace()
            and 0 < i < len(text) - 1
            and _CJK_CHAR.match(text, i - 1)
            and _CJK_CHAR.match(text, i + 1)
        ):
            return True
    return False
