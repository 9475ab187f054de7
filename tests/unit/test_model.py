"""The item-count guard every library model runs before pydantic sees the input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field

from walletsupport._model import MAX_ITEMS, WalletModel
from walletsupport.errors import InvalidInputError


class Tags(WalletModel):
    tags: list[str] = Field(default_factory=list, max_length=3)
    notes: dict[str, str] = Field(default_factory=dict)


class FewerTags(Tags):
    tags: list[str] = Field(default_factory=list, max_length=1)


@given(st.integers(min_value=0, max_value=6))
def test_a_fields_max_length_bounds_it_on_every_way_in(count: int) -> None:
    data = {"tags": ["x"] * count}
    for build in (lambda: Tags(**data), lambda: Tags.model_validate(data)):
        if count <= 3:
            assert len(build().tags) == count
        else:
            with pytest.raises(InvalidInputError, match=f"tags: at most 3 items, got {count}"):
                build()


def test_a_subclass_keeps_its_own_limit() -> None:
    assert Tags(tags=["a", "b"]).tags == ["a", "b"]
    with pytest.raises(InvalidInputError, match="FewerTags: tags: at most 1 items, got 2"):
        FewerTags(tags=["a", "b"])
    assert Tags(tags=["a", "b"]).tags == ["a", "b"]  # the subclass's limit did not leak


def test_a_field_without_max_length_takes_at_most_max_items() -> None:
    too_many = {str(i): "" for i in range(MAX_ITEMS + 1)}
    with pytest.raises(InvalidInputError, match=f"notes: at most {MAX_ITEMS} items"):
        Tags(notes=too_many)
    assert len(Tags(notes=dict(list(too_many.items())[:MAX_ITEMS])).notes) == MAX_ITEMS
