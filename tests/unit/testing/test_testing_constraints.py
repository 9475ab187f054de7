"""Derived strategies honour every pydantic constraint, or name the model and field they cannot.

Issue 21, findings 1 and 3: a ``pattern=`` field made ``case_snapshots`` unsatisfiable without
naming the field, and ``st.from_type(CaseSnapshot)`` could not resolve ``JsonValue``.
"""

from __future__ import annotations

import abc
import importlib
import inspect
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, JsonValue, StringConstraints
from statemachine import StateMachine
from statemachine.states import States

from walletsupport.errors import InvalidInputError
from walletsupport.testing import strategies as ws
from walletsupport.workflows import CaseSnapshot, Command, Workflow

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ONE = settings(phases=[Phase.generate], max_examples=30, database=None, deadline=None)


class Inner(BaseModel, frozen=True, extra="forbid"):
    code: str = Field(pattern=r"^[A-Z]{2}-\d{3}$")
    count: int = Field(ge=1, le=5)


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Everything(BaseModel, frozen=True, extra="forbid"):
    reason_code: str = Field(pattern=r"^\d{1,2}\.\d{1,2}$")
    reference: Annotated[str, StringConstraints(pattern=r"^CB[0-9]+$", min_length=4, max_length=8)]
    searched: str = Field(pattern=r"[a-z]{3}")  # pydantic searches: not anchored
    name: str = Field(min_length=3, max_length=5)
    small: int = Field(gt=10, lt=13)
    step: int = Field(multiple_of=7, ge=1, le=100)
    amount: Decimal = Field(gt=0, max_digits=6, decimal_places=2)
    ratio: float = Field(gt=0.0, lt=1.0)
    window: timedelta = Field(gt=timedelta(hours=1), le=timedelta(days=2))
    at: AwareDatetime = Field(ge=datetime(2030, 1, 1, tzinfo=UTC))
    day: date = Field(le=date(2001, 1, 1))
    kind: Literal["sale", "refund"]
    colour: Colour
    inner: Inner
    maybe: Inner | None = None
    tags: tuple[Annotated[str, Field(pattern=r"^#[a-z]+$")], ...] = Field(min_length=1)
    labels: dict[str, int] = Field(default_factory=dict, max_length=2)
    extra: JsonValue = None
    blob: dict[str, JsonValue] = Field(default_factory=dict)


@FAST
@given(ws.models(Everything))
def test_a_model_with_every_kind_of_constraint_is_drawn_valid(value: Everything) -> None:
    assert Everything.model_validate(value.model_dump()) == value
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}", value.reason_code)
    assert re.fullmatch(r"[A-Z]{2}-\d{3}", value.inner.code)
    assert value.small in (11, 12)
    assert value.step % 7 == 0
    assert value.at >= datetime(2030, 1, 1, tzinfo=UTC)


def _refuse(value: str) -> str:
    raise ValueError("no value is ever good enough")


class Hopeless(BaseModel, frozen=True, extra="forbid"):
    fine: int = 0
    never: Annotated[str, AfterValidator(_refuse)]


def test_a_field_that_cannot_be_honoured_is_named_with_its_model() -> None:
    with pytest.raises(InvalidInputError, match=r"Hopeless\.never"):
        find(ws.models(Hopeless), lambda v: True, settings=ONE)


def test_an_unresolvable_annotation_is_named_with_its_model() -> None:
    class Opaque(abc.ABC):  # hypothesis cannot build an abstract class nothing implements
        @abc.abstractmethod
        def shape(self) -> int: ...

    class Holder(BaseModel, frozen=True, arbitrary_types_allowed=True):
        thing: Opaque

    with pytest.raises(InvalidInputError, match=r"Holder\.thing"):
        find(ws.models(Holder), lambda v: True, settings=ONE)


# --- a workflow whose data has a required pattern= field --------------------------------------


class S(StrEnum):
    OPEN = "open"
    DONE = "done"


class M(StateMachine):
    _ = States.from_enum(S, initial=S.OPEN, final=S.DONE)
    finish = _.OPEN.to(_.DONE)


class ChargebackLike(BaseModel, frozen=True, extra="forbid"):
    reason_code: str = Field(pattern=r"^\d{1,2}\.\d{1,2}$")
    currency: str = Field(default="SGD", pattern=r"^[A-Z]{3}$")


class Finish(Command):
    event: ClassVar[str] = "finish"
    note: str = Field(pattern=r"^[a-z]+ [0-9]{2}$")


PATTERNED = Workflow(
    kind="patterned", machine=M, data=ChargebackLike, commands=(Finish,), policy=None
)


@FAST
@given(ws.case_snapshots(PATTERNED, max_steps=3))
def test_case_snapshots_open_cases_whose_data_has_a_pattern(snapshot: CaseSnapshot) -> None:
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}", snapshot.data["reason_code"])  # type: ignore[arg-type]


def test_commands_with_a_pattern_reach_the_final_state() -> None:
    snap = find(ws.case_snapshots(PATTERNED, state="done"), lambda s: True, settings=ONE)
    assert snap.audit[-1].command == "Finish"


# --- st.from_type works for every public type --------------------------------------------------

_PUBLIC_MODULES = (
    "walletsupport",
    "walletsupport.calendars",
    "walletsupport.contact",
    "walletsupport.issues",
    "walletsupport.policies",
    "walletsupport.values",
    "walletsupport.regulation",
    "walletsupport.verification",
    "walletsupport.workflows",
)


def _public_models() -> list[type[BaseModel]]:
    found: dict[type[BaseModel], None] = {}
    for name in _PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isclass(obj) and issubclass(obj, BaseModel) and not inspect.isabstract(obj):
                found[obj] = None
    return list(found)


@pytest.mark.parametrize("model", _public_models(), ids=lambda m: m.__name__)
def test_from_type_draws_every_public_model(model: type[BaseModel]) -> None:
    drawn = find(st.from_type(model), lambda v: True, settings=ONE)
    assert isinstance(drawn, model)


def test_from_type_case_snapshot_is_a_snapshot_the_engine_made() -> None:
    @FAST
    @given(st.from_type(CaseSnapshot))
    def check(snapshot: CaseSnapshot) -> None:
        assert snapshot.version == len(snapshot.audit)
        assert CaseSnapshot.model_validate_json(snapshot.model_dump_json()) == snapshot

    check()
