"""Reading Acme's categories does not load its workflow or lines."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


def test_the_categories_load_without_the_workflow() -> None:
    loaded = _loaded_after("from acme_wallet.issues import CATEGORIES")
    assert "acme_wallet.chargeback" not in loaded
    assert "statemachine" not in loaded


def test_every_public_name_resolves_on_first_use() -> None:
    import acme_wallet

    for name in acme_wallet.__all__:
        assert getattr(acme_wallet, name) is not None
    assert set(acme_wallet.__all__) <= set(dir(acme_wallet))
