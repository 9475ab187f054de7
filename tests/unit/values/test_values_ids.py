"""Identifier types and case-id generation."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from walletsupport.errors import InvalidInputError
from walletsupport.values import CaseId, CustomerId, TransactionId, new_case_id
from walletsupport.values.ids import ID_PATTERN


class Refs(BaseModel):
    case: CaseId
    customer: CustomerId
    transaction: TransactionId


@pytest.mark.parametrize("value", ["a", "case_0f3a", "cust:42", "TX-2026.01.05", "x" * 64])
def test_valid_ids(value):
    refs = Refs(case=value, customer=value, transaction=value)
    assert refs.case == refs.customer == refs.transaction == value


@pytest.mark.parametrize("value", ["", "x" * 65, "has space", "slash/", "ünïcode", "new\nline"])
def test_invalid_ids(value):
    with pytest.raises(ValidationError):
        Refs(case=value, customer="c", transaction="t")


def test_id_json_schema_states_length_and_pattern():
    prop = Refs.model_json_schema()["properties"]["case"]
    assert (prop["minLength"], prop["maxLength"], prop["pattern"]) == (1, 64, ID_PATTERN)


def test_new_case_id_is_deterministic_with_given_bytes_and_random_otherwise():
    assert new_case_id(bytes(range(16))) == "case_000102030405060708090a0b0c0d0e0f"
    ids = {new_case_id() for _ in range(100)}
    assert len(ids) == 100
    with pytest.raises(InvalidInputError, match="16 bytes"):
        new_case_id(b"short")


@given(st.binary(min_size=16, max_size=16))
def test_generated_case_ids_are_valid_case_ids(entropy):
    case_id = new_case_id(entropy)
    assert re.fullmatch(ID_PATTERN, case_id)
    assert Refs(case=case_id, customer="c", transaction="t").case == case_id
