"""The built documentation works offline: every workflow diagram renders as an SVG.

The site is built with ``mkdocs build --strict`` and opened from disk in headless Chromium
with every host name unresolvable, so nothing can come from a CDN. The DOM after the
scripts ran must hold one rendered state diagram per ``mermaid`` block of the page, and no
raw ``stateDiagram-v2`` text. A screenshot of the workflows page is left in the test's
temporary folder.

Chromium comes from Debian's ``chromium`` package (``.ci/run`` installs it). Without it the
test is skipped locally and fails in CI (``CI`` set).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no host name resolves
    "--virtual-time-budget=30000",
)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    pytest.skip("chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return out


def _browse(site: Path, page: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    return subprocess.run(
        [
            _chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            *extra,
            (site / page).as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


class _Diagrams(HTMLParser):
    """Counts diagram blocks, and the rendered state-diagram SVGs inside them."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks = 0
        self.rendered = 0
        self._depth = 0  # > 0 while inside a diagram block

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._depth:
            self._depth += 1
            if tag == "svg" and values.get("aria-roledescription") == "stateDiagram":
                self.rendered += 1
        elif tag == "pre" and "diagram" in (values.get("class") or "").split():
            self.blocks += 1
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1


def test_the_site_ships_mermaid_and_loads_nothing_from_the_network(site: Path) -> None:
    assert (site / "assets" / "mermaid" / "mermaid.min.js").stat().st_size > 1_000_000
    assert (ROOT / "docs" / "assets" / "mermaid" / "LICENSE").read_text().startswith("The MIT")
    page = (site / "workflows" / "index.html").read_text(encoding="utf-8")
    remote = re.findall(r"<script[^>]+src=\"(https?://[^\"]+)\"", page)
    assert remote == []


def test_the_six_workflow_diagrams_render_as_svg_offline(site: Path, tmp_path: Path) -> None:
    source = (ROOT / "docs" / "workflows.md").read_text(encoding="utf-8")
    expected = source.count("```mermaid")
    assert expected >= 6
    result = _browse(site, "workflows/index.html", tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = _Diagrams()
    dom.feed(result.stdout)
    assert dom.blocks == expected
    assert dom.rendered == expected, "a diagram did not render (raw text left in the page)"
    assert "stateDiagram-v2" not in result.stdout

    shot = tmp_path / "workflows.png"
    result = _browse(
        site, "workflows/index.html", tmp_path, "--window-size=1280,4200", f"--screenshot={shot}"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 100_000  # a page with drawings, not a blank frame


def test_the_index_page_diagram_renders_offline(site: Path, tmp_path: Path) -> None:
    result = _browse(site, "index.html", tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"<pre class=\"diagram\"[^>]*>\s*<svg", result.stdout)
