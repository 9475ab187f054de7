"""Triage of English, Chinese and mixed text: behaviour, accuracy floors and properties."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.errors import EmptyTextError, InvalidInputError
from walletsupport.issues import (
    MAX_ANALYSED_CHARS,
    DetectedLanguage,
    IssueCategory,
    IssueRegistry,
    TriageTerm,
    builtin_categories,
    default_registry,
    triage,
)
from walletsupport.issues._matcher import Matcher
from walletsupport.issues._text import normalise
from walletsupport.values import Locale

DATA = Path(__file__).parents[2] / "data"


def _load(name: str) -> list[dict[str, str]]:
    lines = (DATA / f"triage_{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _accuracy(rows):
    per = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        ids = triage(row["text"]).ranked_ids(3)
        for key in (row["lang"], "all"):
            per[key][0] += 1
            per[key][1] += ids[:1] == (row["label"],)
            per[key][2] += row["label"] in ids
    return {k: (v[1] / v[0], v[2] / v[0]) for k, v in per.items()}


# --- behaviour ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I did NOT forget my password, my account is locked", "account_locked"),
        ("不是我忘了密码，是账号被锁了", "account_locked"),
        ("我没有忘记密码，账户被冻结了", "account_locked"),
        ("the refund button crashes the app", "app_crash"),
        ("点退款按钮就闪退", "app_crash"),
        ("the add card screen crashes every time", "app_crash"),
        ("FORGOT MY PASSWORD PLEASE HELP", "forgot_password"),
        ("forgott my passwrd", "forgot_password"),
        ("im loked out of my acount", "account_locked"),
        ("the app crahses on startup", "app_crash"),
        ("钱被扣了两次", "transaction_dispute"),
        ("登不上去，提示账户已被限制", "account_locked"),
        ("我的卡被盗刷了", "unauthorized_transaction"),
        ("app一打开就闪退", "app_crash"),
        ("被冻结了怎么解冻", "account_locked"),
        ("找回密码", "forgot_password"),
        ("怎么绑卡", "add_card"),
        ("付了钱没收到货", "transaction_dispute"),
        ("退款什么时候到账", "refund_request"),
        ("app一直crash 😭😭", "app_crash"),
        ("有人冒充customer service问我要验证码", "security_concern"),
        (
            "I got a login alert from a device I don't know, but no money is gone",
            "security_concern",
        ),
        ("can't add my debit card, it keeps getting declined", "add_card"),
    ],
)
def test_hard_messages_triage_to_the_right_category(text, expected):
    assert triage(text).top.category_id == expected


def test_negated_term_is_reported_as_negated_evidence():
    result = triage("I did not forget my password, my account is locked")
    evidence = {ev.term: ev.negated for candidate in result.candidates for ev in candidate.evidence}
    assert "forgot_password" not in result.ranked_ids()
    assert result.top.category_id == "account_locked"
    assert all(not negated for negated in evidence.values())


def test_negation_does_not_cross_a_sentence_break():
    assert triage("No. I forgot my password").top.category_id == "forgot_password"


def test_cannot_is_inability_not_denial():
    assert triage("I can't log in, account locked").top.category_id == "account_locked"


def test_evidence_names_vocabulary_terms_not_customer_text():
    result = triage("my pasword is hunter2 and I forgot it")
    terms = [ev.term for c in result.candidates for ev in c.evidence]
    assert "hunter2" not in repr(result)
    assert all("hunter2" not in term for term in terms)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("my account is locked", DetectedLanguage.EN),
        ("账户被锁定了", DetectedLanguage.ZH),
        ("忘记password了，怎么reset", DetectedLanguage.MIXED),
        ("APP闪退了怎么办呢", DetectedLanguage.ZH),
    ],
)
def test_language_is_detected(text, language):
    assert triage(text).language is language


def test_reply_locale_follows_hint_then_language():
    assert triage("账户被锁定了").locale is Locale.ZH
    assert triage("account locked").locale is Locale.EN
    assert triage("account locked", locale="zh").locale is Locale.ZH
    assert triage("😡😡😡", locale="zh").language is DetectedLanguage.ZH


def test_nothing_fired_means_unsure_with_no_top():
    result = triage("hello there 👋")
    assert result.top is None
    assert result.unsure
    assert not result.is_confident(0.0)


def test_close_runner_up_makes_triage_unsure():
    result = triage("forgot password and account locked")
    assert result.unsure
    assert set(result.ranked_ids(2)) == {"forgot_password", "account_locked"}


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \u3000"])
def test_empty_or_whitespace_text_is_an_empty_text_error(text):
    with pytest.raises(EmptyTextError):
        triage(text)


@pytest.mark.parametrize(
    "kwargs",
    [{"text": 42}, {"text": "hi", "locale": "fr"}, {"text": "hi", "registry": "reg"}],
)
def test_bad_arguments_are_invalid_input(kwargs):
    with pytest.raises(InvalidInputError):
        triage(**kwargs)


def test_is_confident_rejects_thresholds_outside_unit_interval():
    with pytest.raises(InvalidInputError):
        triage("account locked").is_confident(1.5)


def test_a_100_kb_message_is_analysed_in_bounded_time():
    text = "my account is locked and " + "blah " * 20_000 + "我的卡被盗刷了" * 2000
    assert len(text.encode()) > 100_000
    start = time.perf_counter()
    result = triage(text)
    elapsed = time.perf_counter() - start
    assert result.truncated
    assert result.top.category_id == "account_locked"
    assert elapsed < 0.5
    assert len(text) > MAX_ANALYSED_CHARS


def test_each_built_in_category_recognises_its_own_examples():
    # The examples are varied on purpose (they train the similarity signal); each must be in
    # the top three of its own category, the first two of each category top, and nearly all.
    total = top = 0
    for category in builtin_categories():
        assert len(category.examples) >= 40, category.id
        for index, example in enumerate(category.examples):
            ranked = triage(example).ranked_ids(3)
            assert category.id in ranked, example
            if index < 2:
                assert ranked[0] == category.id, example
            total += 1
            top += ranked[0] == category.id
    assert top / total >= 0.98


def test_indirect_descriptions_without_keywords_still_get_candidates():
    for text in (
        "the supermarket in a town I have never visited took forty dollars from me",
        "我完全没有去过那家店，却被扣了三百",
    ):
        result = triage(text)
        assert result.top is not None, text
        assert "unauthorized_transaction" in result.ranked_ids(3), text


def test_similarity_alone_is_never_confident():
    result = triage("a bakery in Lisbon billed me while I was at home in Berlin")
    assert all(not c.evidence for c in result.candidates)
    assert result.candidates
    assert result.unsure
    assert not result.is_confident(0.0)


def test_candidates_report_similarity_in_the_unit_interval():
    result = triage("what was the code I use to get in again")
    assert result.top.similarity > 0.0
    assert all(0.0 <= c.similarity <= 1.0 for c in result.candidates)


def test_decisive_keywords_skip_similarity_and_keep_the_one_phrase_score():
    result = triage("I forgot my password")
    assert result.top.score == 0.6
    assert result.top.similarity == 0.0


def _category(cid, vocabulary, examples):
    return IssueCategory(
        id=cid,
        group="other",
        name_en=cid,
        name_zh=cid,
        guidance_en="-",
        guidance_zh="-",
        urgency="low",
        verification_action="view_info",
        vocabulary=tuple(TriageTerm(text=t, locale="en", weight=w) for t, w in vocabulary),
        examples=examples,
    )


def _gizmo_categories(problem_mentions_gizmo):
    # "gizmo" is the topic vocabulary of gizmo_howto; when the problem category's own
    # examples talk about gizmos all the time, the data says "gizmo" is generic.
    thing = "gizmo" if problem_mentions_gizmo else "device"
    return (
        _category(
            "gizmo_howto",
            [("gizmo", 2)],
            ("where do I find the gizmo menu", "gizmo settings question", "pairing a gizmo"),
        ),
        _category(
            "gizmo_fire",
            [("smoke", 1.5)],
            tuple(f"my {thing} is giving off smoke, case {n}" for n in range(8)),
        ),
    )


def _keyword_weight(categories, text):
    # the keyword evidence per category, before similarity (white-box on purpose)
    scan = Matcher(categories).scan(normalise(text))
    return {categories[ci].id: hit.raw for ci, hit in scan.hits.items()}


def test_a_generic_topic_word_keeps_its_weight_on_its_own():
    weights = _keyword_weight(_gizmo_categories(True), "question about the gizmo")
    assert weights == {"gizmo_howto": 2.0}


def test_a_generic_topic_word_counts_less_beside_specific_evidence_elsewhere():
    weights = _keyword_weight(_gizmo_categories(True), "gizmo smoke")
    assert weights["gizmo_fire"] == 1.5
    assert 0.0 < weights["gizmo_howto"] < 2.0


def test_a_topic_word_the_examples_do_not_share_keeps_its_weight_in_context():
    weights = _keyword_weight(_gizmo_categories(False), "gizmo smoke")
    assert weights == {"gizmo_howto": 2.0, "gizmo_fire": 1.5}


def test_the_discounted_topic_word_is_still_reported_as_evidence():
    registry = IssueRegistry()
    for category in _gizmo_categories(True):
        registry.register(category)
    result = triage("gizmo smoke", registry)
    howto = next(c for c in result.candidates if c.category_id == "gizmo_howto")
    assert [e.term for e in howto.evidence] == ["gizmo"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的银行卡被盗刷了", "unauthorized_transaction"),
        ("credit card stolen and used at a petrol station", "unauthorized_transaction"),
        ("怎么绑卡", "add_card"),
        ("how do I add a credit card", "add_card"),
    ],
)
def test_card_is_a_topic_beside_theft_and_the_issue_in_a_how_to(text, expected):
    assert triage(text).top.category_id == expected


def test_a_space_between_chinese_characters_ends_a_negation():
    result = triage("我没动 钱没了")
    assert result.top.category_id == "unauthorized_transaction"
    assert not any(e.negated for e in result.top.evidence)


def test_a_negation_stops_at_the_first_content_word():
    # "doesn't match" denies the match, not the quote; "not my" still denies the password
    assert triage("the bill doesn't match what he quoted").top.category_id == (
        "transaction_dispute"
    )
    assert "forgot_password" not in triage("did not forget my password").ranked_ids()


@pytest.mark.parametrize(
    ("text", "not_expected"),
    [
        ("怎么会这样", "feature_inquiry"),
        ("how come my balance is zero", "feature_inquiry"),
        ("every time I try to log in it says network error", "security_concern"),
    ],
)
def test_complaint_forms_are_not_read_as_how_to_or_as_an_intruder(text, not_expected):
    result = triage(text)
    evidence = [c for c in result.candidates if c.category_id == not_expected and c.evidence]
    assert not evidence, result.ranked_ids()


def test_a_payment_the_customer_made_is_not_unauthorized():
    result = triage("I paid the seller myself but the item never arrived")
    assert result.top.category_id == "transaction_dispute"


def test_registering_a_category_with_only_examples_makes_it_reachable():
    registry = default_registry()
    registry.register(
        IssueCategory(
            id="lost_parcel_insurance",
            group="other",
            name_en="Parcel insurance",
            name_zh="包裹保险",
            guidance_en="Call the insurer.",
            guidance_zh="请联系保险公司。",
            urgency="low",
            verification_action="view_info",
            examples=(
                "my parcel insurance claim for the broken vase",
                "the courier insurance does not cover my smashed television",
                "包裹保险理赔怎么申请",
            ),
        )
    )
    assert "lost_parcel_insurance" in triage(
        "insurance claim for a smashed vase", registry
    ).ranked_ids(3)
    assert "lost_parcel_insurance" not in triage("insurance claim for a smashed vase").ranked_ids()


def test_result_round_trips_through_json():
    result = triage("手机丢了，支付宝里的钱被人转走了")
    assert type(result).model_validate_json(result.model_dump_json()) == result


# --- accuracy floors on the labelled sets ----------------------------------------------


def test_labelled_sets_are_large_and_cover_every_category_and_language():
    rows = _load("dev") + _load("holdout") + _load("blind")
    assert len(rows) >= 200
    assert {r["label"] for r in rows} == {c.id for c in builtin_categories()}
    assert {r["lang"] for r in rows} == {"en", "zh", "mixed"}


@pytest.mark.parametrize(
    ("name", "floor1", "floor3"),
    [
        ("dev", 0.95, 0.97),
        ("holdout", 0.95, 0.97),
        ("blind", 0.95, 0.97),
        ("blind2", 0.94, 0.97),
        ("blind3", 0.94, 0.97),
        ("blind4", 0.90, 0.96),
    ],
)
def test_accuracy_stays_above_the_floor(name, floor1, floor3):
    # blind2 and blind3 were written without seeing the vocabulary, scored once untuned
    # (blind3: top-1 90.5 %, top-3 98.5 %) and later used to develop against, so their
    # floors are development floors, not estimates of accuracy on unseen messages.
    # blind4 was scored once after the changes were frozen (top-1 94.5 %: en 92.2, zh 95.3,
    # mixed 100; top-3 98.5 %) and never tuned on: its floor only guards against regressions.
    scores = _accuracy(_load(name))
    for lang, (top1, top3) in scores.items():
        assert top1 >= floor1, (name, lang, top1)
        assert top3 >= floor3, (name, lang, top3)


# --- properties -------------------------------------------------------------------------

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200
) | st.lists(
    st.sampled_from(
        [
            "account",
            "locked",
            "不是",
            "忘了",
            "密码",
            "not",
            "refund",
            "闪退",
            "crash",
            "button",
            "…",
            "!",
            "😀",
            "two",
            "factor",
            "no",
            "被盗刷",
            "card",
            "add",
        ]
    ),
    min_size=1,
    max_size=15,
).map(" ".join)


@given(texts)
def test_triage_never_raises_except_on_empty_text(text):
    try:
        result = triage(text)
    except EmptyTextError:
        assert not text.strip()
        return
    scores = [c.score for c in result.candidates]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert result.unsure or result.top is not None
    assert triage(text) == result  # deterministic


STRONG = [row["text"] for row in _load("dev") if triage(row["text"]).is_confident(0.5)][:40]

unrelated_words = st.text(alphabet="qxjvz", min_size=6, max_size=10)


@settings(max_examples=30)
@given(st.sampled_from(STRONG), st.lists(unrelated_words, min_size=1, max_size=5), st.data())
def test_adding_an_unrelated_category_never_changes_a_strong_answer(text, words, data):
    before = triage(text).top.category_id
    registry = default_registry()
    registry.register(
        IssueCategory(
            id="unrelated_" + data.draw(st.text(alphabet="abc", min_size=2, max_size=6)),
            group="other",
            name_en="Unrelated",
            name_zh="无关",
            guidance_en="-",
            guidance_zh="-",
            urgency="low",
            verification_action="view_info",
            vocabulary=(
                *(TriageTerm(text=w, locale="en", weight=3) for w in words),
                TriageTerm(text="鳄鱼", locale="zh", weight=3),
            ),
        )
    )
    assert triage(text, registry).top.category_id == before
