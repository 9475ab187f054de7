"""CHANGELOG.md follows Keep a Changelog and agrees with ``__version__``."""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import walletsupport

CHANGELOG = Path(__file__).parents[2] / "CHANGELOG.md"
RELEASE = re.compile(r"^## \[(\d+)\.(\d+)\.(\d+)\] - (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def _releases() -> list[tuple[tuple[int, int, int], date]]:
    return [
        ((int(a), int(b), int(c)), date.fromisoformat(d))
        for a, b, c, d in RELEASE.findall(CHANGELOG.read_text(encoding="utf-8"))
    ]


def test_changelog_has_an_unreleased_section_first() -> None:
    headings = re.findall(r"^## .*$", CHANGELOG.read_text(encoding="utf-8"), re.MULTILINE)
    assert headings[0] == "## [Unreleased]"


def test_newest_release_equals_the_package_version() -> None:
    newest, _ = _releases()[0]
    assert ".".join(map(str, newest)) == walletsupport.__version__


def test_release_dates_descend_and_versions_are_semver_steps() -> None:
    releases = _releases()
    for (newer, newer_date), (older, older_date) in itertools.pairwise(releases):
        assert newer_date >= older_date
        major, minor, patch = older
        allowed = {(major + 1, 0, 0), (major, minor + 1, 0), (major, minor, patch + 1)}
        assert newer in allowed


def test_only_keep_a_changelog_subsections_are_used() -> None:
    subsections = set(
        re.findall(r"^### (.*)$", CHANGELOG.read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert subsections <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
