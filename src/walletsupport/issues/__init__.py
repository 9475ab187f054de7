"""Issue categories, an extensible registry, and offline triage of English and Chinese text.

Examples:
    >>> from walletsupport.issues import triage
    >>> result = triage("locked out after 3 tries, pls help!!")
    >>> result.top.category_id, result.language.value
    ('account_locked', 'en')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walletsupport import _lazy

if TYPE_CHECKING:
    from walletsupport.issues.categories import (
        OTHER_ID,
        ChecklistItem,
        IssueCategory,
        IssueGroup,
        TriageTerm,
        Urgency,
    )
    from walletsupport.issues.classifier import LinearClassifier, builtin_classifier
    from walletsupport.issues.registry import (
        ENTRY_POINT_GROUP,
        IssueRegistry,
        builtin_categories,
        default_registry,
    )
    from walletsupport.issues.training import (
        CategoryReport,
        Evaluation,
        ReliabilityBin,
        evaluate,
        fit,
        read_labelled,
    )
    from walletsupport.issues.triage import (
        MAX_ANALYSED_CHARS,
        DetectedLanguage,
        TermEvidence,
        Triage,
        TriageCandidate,
        triage,
    )

# Each public name loads its module on first use (see walletsupport._lazy).
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {
        "OTHER_ID": ".categories",
        "ChecklistItem": ".categories",
        "IssueCategory": ".categories",
        "IssueGroup": ".categories",
        "TriageTerm": ".categories",
        "Urgency": ".categories",
        "LinearClassifier": ".classifier",
        "builtin_classifier": ".classifier",
        "ENTRY_POINT_GROUP": ".registry",
        "IssueRegistry": ".registry",
        "builtin_categories": ".registry",
        "default_registry": ".registry",
        "CategoryReport": ".training",
        "Evaluation": ".training",
        "ReliabilityBin": ".training",
        "evaluate": ".training",
        "fit": ".training",
        "read_labelled": ".training",
        "MAX_ANALYSED_CHARS": ".triage",
        "DetectedLanguage": ".triage",
        "TermEvidence": ".triage",
        "Triage": ".triage",
        "TriageCandidate": ".triage",
        "triage": ".triage",
    },
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "MAX_ANALYSED_CHARS",
    "OTHER_ID",
    "CategoryReport",
    "ChecklistItem",
    "DetectedLanguage",
    "Evaluation",
    "IssueCategory",
    "IssueGroup",
    "IssueRegistry",
    "LinearClassifier",
    "ReliabilityBin",
    "TermEvidence",
    "Triage",
    "TriageCandidate",
    "TriageTerm",
    "Urgency",
    "builtin_categories",
    "builtin_classifier",
    "default_registry",
    "evaluate",
    "fit",
    "read_labelled",
    "triage",
]
