"""Triage of English, Chinese and mixed text: behaviour, `other`, accuracy floors, properties."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.errors import EmptyTextError, InvalidInputError
from walletsupport.issues import (
    MAX_ANALYSED_CHARS,
    OTHER_ID,
    DetectedLanguage,
    IssueCategory,
    IssueRegistry,
    _features,
    builtin_categories,
    builtin_classifier,
    default_registry,
    evaluate,
    triage,
)
from walletsupport.values import Locale

DATA = Path(__file__).parents[2] / "data"
SETS = ("dev", "holdout", "blind", "blind2", "blind3", "blind4")


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


def _auroc(positives: list[float], negatives: list[float]) -> float:
    # the probability that a random in-scope message scores above a random off-topic one
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def _in_scope(text: str) -> float:
    return 1.0 - sum(c.score for c in triage(text).candidates if c.category_id == OTHER_ID)


# --- behaviour ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what the customer wants decides, not the topic noun
        ("could you activate my card", "card_delivery"),
        ("can you remove my account", "account_closure"),
        ("the exchange rate applied to my payment is wrong", "transaction_dispute"),
        ("I lost my card", "lost_or_stolen"),
        ("my account got blocked after too many attempts", "account_locked"),
        ("FORGOT MY PASSWORD PLEASE HELP", "forgot_password"),
        ("forgott my passwrd", "forgot_password"),
        ("the app crahses on startup", "app_crash"),
        ("钱被扣了两次", "transaction_dispute"),
        ("我的卡被盗刷了", "unauthorized_transaction"),
        ("app一打开就闪退", "app_crash"),
        ("找回密码", "forgot_password"),
        ("怎么绑卡", "add_card"),
        ("退款什么时候到账", "refund_request"),
        ("app一直crash 😭😭", "app_crash"),
        ("有人冒充customer service问我要验证码", "security_concern"),
        ("my card payment was declined at the supermarket", "payment_failed"),
        ("why was I charged a fee for topping up", "fees_and_charges"),
        ("my transfer is still pending after three days", "payment_pending"),
        ("I want to close my account", "account_closure"),
    ],
)
def test_messages_triage_to_the_right_category(text, expected):
    assert triage(text).top.category_id == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # issue 14: a denied reading does not decide; the clause after it does
        ("I did NOT forget my password, my account is locked", "account_locked"),
        ("I didn't lose my card, it was declined", "payment_failed"),
        ("我没有忘记密码，是账户被锁了", "account_locked"),
        # and a negation that is the complaint itself still reads as that complaint
        ("I can't remember my password", "forgot_password"),
        ("my transfer hasn't arrived yet", "payment_pending"),
        ("我没有收到退款", "refund_request"),
    ],
)
def test_a_denied_reading_gives_way_to_what_the_customer_says_instead(text, expected):
    result = triage(text)
    assert result.top.category_id == expected, result.candidates[:3]
    assert not result.unsure, result.candidates[:3]


def test_a_denied_lost_card_is_not_read_as_lost_or_stolen():
    ranked = triage("I didn't lose my card, it was declined").ranked_ids(1)
    assert ranked != ("lost_or_stolen",)


@pytest.mark.parametrize(
    "text",
    [
        "what's the weather like in Paris tomorrow",
        "book me a table for two tonight",
        "红烧肉怎么做",
        "do you know any riddles",
    ],
)
def test_messages_about_nothing_we_handle_are_other(text):
    result = triage(text)
    assert result.is_other
    assert result.top.category_id == OTHER_ID
    assert not result.is_confident(0.0)


def test_other_is_separated_from_in_scope_messages_on_a_held_out_set():
    # triage_offtopic.jsonl was written for measuring only and is never trained on
    rows = [json.loads(line) for line in (DATA / "triage_offtopic.jsonl").read_text().splitlines()]
    in_scope = [_in_scope(r["text"]) for r in _load("holdout") + _load("blind4")]
    near = [_in_scope(r["text"]) for r in rows if r["kind"] == "near"]
    far = [_in_scope(r["text"]) for r in rows if r["kind"] == "far"]
    assert _auroc(in_scope, near) >= 0.85
    assert _auroc(in_scope, far) >= 0.97


def test_evidence_names_model_features_not_other_customer_text():
    result = triage("my pasword is hunter2 and I forgot it")
    terms = [ev.term for c in result.candidates for ev in c.evidence]
    assert result.top.category_id == "forgot_password"
    assert terms
    assert "hunter2" not in repr(result)
    assert all("hunter" not in term for term in terms)


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


def test_a_message_with_no_features_is_other_or_unsure():
    result = triage("👋")
    assert result.is_other or result.unsure
    assert not result.is_confident(0.9)


class _Fixed:
    classes = ("forgot_password", "account_locked", "other")

    def __init__(self, *probs):
        self.probs = probs

    def predict_proba(self, text):
        return list(self.probs)


@pytest.mark.parametrize(
    ("probs", "unsure"),
    [((0.5, 0.4, 0.1), True), ((0.6, 0.3, 0.1), True), ((0.7, 0.2, 0.1), False)],
)
def test_close_runner_up_makes_triage_unsure(probs, unsure):
    registry = default_registry()
    registry.use_classifier(_Fixed(*probs))
    result = triage("forgot password and account locked", registry)
    assert result.unsure is unsure
    assert result.ranked_ids(2) == ("forgot_password", "account_locked")


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


def test_a_100_kb_message_is_cut_to_the_analysed_length():
    text = "my account is locked and " + "blah " * 20_000 + "我的卡被盗刷了" * 2000
    result = triage(text)
    assert len(text) > MAX_ANALYSED_CHARS
    assert result.truncated
    assert result.top.category_id == "account_locked"


def test_a_repeated_phrase_has_the_features_of_the_phrase():
    # the feature set, and so the cost of scoring it, does not grow with repetition
    assert _features.features("忘记密码" * 1000) == _features.features("忘记密码忘记密码忘记")


def test_candidates_are_calibrated_probabilities():
    result = triage("I lost my card and someone used it")
    assert 0.99 <= sum(c.score for c in result.candidates) <= 1.0 + 1e-6
    assert all(0.0 <= c.score <= 1.0 for c in result.candidates)


def test_result_round_trips_through_json():
    result = triage("手机丢了，支付宝里的钱被人转走了")
    assert type(result).model_validate_json(result.model_dump_json()) == result


def test_importing_the_library_does_not_load_the_model():
    code = (
        "import walletsupport, walletsupport.issues as i;"
        "print(i.builtin_classifier.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


# --- integrator categories -----------------------------------------------------------------


def _category(cid, examples, group="other"):
    return IssueCategory(
        id=cid,
        group=group,
        name_en=cid,
        name_zh=cid,
        guidance_en="-",
        guidance_zh="-",
        urgency="low",
        verification_action="view_info",
        examples=examples,
    )


SETTLEMENT = _category(
    "merchant_settlement",
    (
        "my shop's card takings have not been settled to my account",
        "settlement for yesterday's sales is missing",
        "when will the merchant settlement arrive",
        "our store payouts are late this week",
        "the daily settlement of my restaurant has not come through",
        "商户结算款还没到账",
        "昨天的营业款没有结算",
        "店铺的结算延迟了",
    ),
)


def test_an_integrator_category_takes_part_in_triage_from_its_examples():
    # issue 21 finding 8: a negation before a term no longer cancels the evidence
    registry = default_registry()
    registry.register(SETTLEMENT)
    result = triage("our restaurant hasn't been settled", registry)
    assert result.top.category_id == "merchant_settlement"
    assert result.top.evidence
    assert triage("商户的结算款还没到", registry).top.category_id == "merchant_settlement"
    # and the built-ins still win their own messages
    assert triage("I forgot my password", registry).top.category_id == "forgot_password"


def test_cashed_out_is_not_a_crash():
    # issue 21 finding 8: no spelling correction reads "cashed" as "crash"
    result = triage("I cashed out my balance to my bank two days ago and it hasn't arrived")
    assert result.top.category_id != "app_crash"
    assert "app_crash" not in result.ranked_ids(2)


def test_a_registry_without_some_built_ins_answers_other_for_them():
    registry = IssueRegistry([c for c in builtin_categories() if c.id != "forgot_password"])
    result = triage("I forgot my password", registry)
    assert result.top.category_id == OTHER_ID


def test_a_plugged_in_classifier_is_used_by_triage():
    class Fixed:
        classes = ("app_crash", "not_in_registry")

        def predict_proba(self, text):
            return [0.3, 0.7]

    registry = default_registry()
    registry.use_classifier(Fixed())
    result = triage("whatever", registry)
    # a class the registry does not hold counts as "none of these"
    assert result.ranked_ids() == (OTHER_ID, "app_crash")
    registry.use_classifier(None)
    assert triage("I forgot my password", registry).top.category_id == "forgot_password"


def test_a_classifier_must_follow_the_protocol():
    with pytest.raises(InvalidInputError):
        default_registry().use_classifier(object())  # type: ignore[arg-type]


unrelated_words = st.text(alphabet="qxjvz", min_size=6, max_size=10)
STRONG = [r["text"] for r in _load("dev") if triage(r["text"]).is_confident(0.8)][:40]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(STRONG), st.lists(unrelated_words, min_size=1, max_size=5))
def test_adding_an_unrelated_category_never_changes_a_strong_answer(text, words):
    before = triage(text).top.category_id
    registry = default_registry()
    registry.register(_category("unrelated", (" ".join(words), "鳄鱼鳄鱼")))
    assert triage(text, registry).top.category_id == before


# --- accuracy floors on the labelled sets ----------------------------------------------


def test_labelled_sets_are_large_and_cover_every_category_and_language():
    rows = [row for name in SETS for row in _load(name)]
    assert len(rows) >= 1000
    assert {r["label"] for r in rows} <= {c.id for c in builtin_categories()}
    assert {r["lang"] for r in rows} == {"en", "zh", "mixed"}


# Development floors: these sets are never trained on, but they were scored while the
# training data and the features were chosen (docs/triage.md has the figures).
FLOORS = {
    "dev": (0.85, 0.97),
    "holdout": (0.80, 0.95),
    "blind": (0.80, 0.95),
    "blind2": (0.80, 0.95),
    "blind3": (0.80, 0.93),
    "blind4": (0.80, 0.94),
}


@pytest.mark.parametrize("name", SETS)
def test_accuracy_stays_above_the_floor(name):
    floor1, floor3 = FLOORS[name]
    scores = _accuracy(_load(name))
    top1, top3 = scores["all"]
    assert top1 >= floor1, (name, scores)
    assert top3 >= floor3, (name, scores)


def test_confidence_is_calibrated_on_the_held_out_sets():
    rows = [row for name in SETS for row in _load(name)]
    result = evaluate(builtin_classifier(), [r["text"] for r in rows], [r["label"] for r in rows])
    assert result.ece <= 0.08, result.reliability_table()


# --- properties -------------------------------------------------------------------------

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200
) | st.lists(
    st.sampled_from(
        ["account", "locked", "不是", "忘了", "密码", "not", "refund", "闪退", "crash", "!", "😀"]
    ),
    min_size=1,
    max_size=15,
).map(" ".join)


@settings(deadline=None)
@given(texts)
def test_triage_never_raises_except_on_empty_text(text):
    try:
        result = triage(text)
    except EmptyTextError:
        assert not text.strip()
        return
    scores = [c.score for c in result.candidates]
    assert result.candidates
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert triage(text) == result  # deterministic
