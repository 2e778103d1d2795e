"""The request schemas' building blocks document exactly what they accept (the contract
tests fuzz the whole API; these pin the rules down one by one)."""

import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar

import pytest
from pydantic import BaseModel, Field, ValidationError

from app.core.schemas import EMAIL_PATTERN, DecimalString, Flag, PatchIn, WholeNumber, any_case


class Amounts(BaseModel):
    price: Annotated[Decimal, DecimalString(whole=4, places=2)]
    weight: Annotated[Decimal, DecimalString(whole=3, places=3, positive=True)]


def _documented(field: str) -> dict[str, Any]:
    schema: dict[str, Any] = Amounts.model_json_schema()["properties"][field]
    return schema


def _pattern(field: str) -> str:
    pattern: str = _documented(field)["anyOf"][0]["pattern"]
    return pattern


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
    assert re.fullmatch(_pattern(field), value)
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
    assert not re.fullmatch(_pattern(field), value)
    with pytest.raises(ValidationError):
        Amounts.model_validate({"price": "1", "weight": "1", field: value})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # A well-written amount out of range hears what is wrong with it, as the back-office
        # shows the message at the field; a malformed one hears the form to use.
        ("weight", "-5", "Input should be greater than 0"),
        ("weight", -5, "Input should be greater than 0"),
        ("weight", "0", "Input should be greater than 0"),
        ("price", "-0.5", "Input should be 0 or more"),
        ("price", "", "a decimal string such as 0 or 12.5"),
        ("weight", "1e3", "a decimal string such as 12.5"),
    ],
)
def test_a_refused_amount_says_why(field: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Amounts.model_validate({"price": "1", "weight": "1", field: value})
    assert message in refused.value.errors()[0]["msg"]


def test_a_json_number_is_an_amount_only_when_whole() -> None:
    whole = {"type": "integer", "minimum": 1, "maximum": 999}
    assert whole in _documented("weight")["anyOf"]
    amounts = Amounts.model_validate_json('{"price": 5, "weight": 1.0}')
    assert (str(amounts.price), str(amounts.weight)) == ("5.00", "1.000")
    for refused in ('{"price": 19.9, "weight": "1"}', '{"price": "1", "weight": 0}'):
        with pytest.raises(ValidationError):
            Amounts.model_validate_json(refused)


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


class Counted(BaseModel):
    count: Annotated[int, Field(strict=True, ge=0), WholeNumber]
    flag: Flag = False


def test_a_whole_number_is_an_integer_however_it_is_written() -> None:
    """JSON Schema's integer includes 10.0; nothing else but true integers passes."""
    assert Counted.model_validate_json('{"count": 10.0}').count == 10
    assert Counted.model_json_schema()["properties"]["count"]["minimum"] == 0
    for refused in ('"10"', "1.5", "true", "-1"):
        with pytest.raises(ValidationError):
            Counted.model_validate_json(f'{{"count": {refused}}}')


@pytest.mark.parametrize("refused", ["0", "1", '"true"', '"yes"'])
def test_a_flag_is_a_json_boolean(refused: str) -> None:
    with pytest.raises(ValidationError):
        Counted.model_validate_json(f'{{"count": 1, "flag": {refused}}}')


@pytest.mark.parametrize(
    ("address", "documented"),
    [
        ("someone@example.com", True),
        ("first.last+tag@mail.example.org", True),
        ("someone@shop.test", False),
        ("someone@LOCALHOST", False),
        ("a@b", False),
    ],
)
def test_the_email_pattern_stays_within_what_is_accepted(address: str, documented: bool) -> None:
    assert bool(re.fullmatch(EMAIL_PATTERN, address)) is documented
