"""The request schemas' building blocks document exactly what they accept (the contract
tests fuzz the whole API; these pin the rules down one by one)."""

import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar

import pytest
from pydantic import BaseModel, ValidationError

from app.core.schemas import DecimalString, PatchIn, any_case


class Amounts(BaseModel):
    price: Annotated[Decimal, DecimalString(whole=4, places=2)]
    weight: Annotated[Decimal, DecimalString(whole=3, places=3, positive=True)]


def _documented(field: str) -> dict[str, Any]:
    schema: dict[str, Any] = Amounts.model_json_schema()["properties"][field]
    return schema


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "0"),
        ("price", "19.9"),
        ("price", "9999.99"),
        ("weight", "0.001"),
        ("weight", "0.25"),
        ("weight", "999.999"),
    ],
)
def test_a_documented_decimal_string_is_accepted(field: str, value: str) -> None:
    assert re.fullmatch(_documented(field)["pattern"], value)
    amounts = {"price": "1", "weight": "1", field: value}
    assert getattr(Amounts.model_validate(amounts), field) == Decimal(value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", ""),
        ("price", " 1"),
        ("price", "1e3"),
        ("price", "-1"),
        ("price", "1.999"),
        ("price", "10000"),
        ("weight", "0"),
        ("weight", "0.000"),
        ("weight", "1000"),
    ],
)
def test_what_the_pattern_refuses_is_refused(field: str, value: str) -> None:
    assert not re.fullmatch(_documented(field)["pattern"], value)
    with pytest.raises(ValidationError):
        Amounts.model_validate({"price": "1", "weight": "1", field: value})


def test_a_json_number_is_not_an_amount() -> None:
    assert _documented("price")["type"] == "string"
    with pytest.raises(ValidationError):
        Amounts.model_validate_json('{"price": 19.9, "weight": "1"}')


def test_amounts_are_quantized_and_decimals_from_python_pass() -> None:
    amounts = Amounts.model_validate({"price": Decimal("19.9"), "weight": "0.5"})
    assert str(amounts.price) == "19.90"
    assert str(amounts.weight) == "0.500"


class Patch(PatchIn):
    nullable: ClassVar[frozenset[str]] = frozenset({"note"})

    name: str | None = None
    note: str | None = None


def test_a_patch_documents_null_only_where_it_takes_it() -> None:
    properties = Patch.model_json_schema()["properties"]
    assert properties["name"]["type"] == "string"
    assert "anyOf" not in properties["name"]
    assert {"type": "null"} in properties["note"]["anyOf"]
    with pytest.raises(ValidationError):
        Patch.model_validate({"name": None})


def test_any_case_widens_each_letter_range_once() -> None:
    assert any_case(r"^[A-Z0-9][a-z0-9._-]*$") == r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
