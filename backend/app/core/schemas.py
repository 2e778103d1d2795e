"""Building blocks of request schemas that every domain uses.

Each states in the OpenAPI document the constraint it enforces, so that a request the
document calls valid is never refused as invalid (the contract tests fuzz exactly that).
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema


def any_case(pattern: str) -> str:
    """The pattern of a value that is upper- or lower-cased before `pattern` checks it: what
    the document states, since the client may send either case."""
    return re.sub("A-Z|a-z", "A-Za-z", pattern)


def documented_any_case_pattern(pattern: str) -> Any:
    """States `any_case(pattern)` in the document without checking it: the domain's own
    validator checks the value, with a sentence a person can act on (pydantic's message
    would quote the regular expression, and the back-office shows it at the field)."""
    return Field(json_schema_extra={"pattern": any_case(pattern)})


def _integral(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# Before a strict int: JSON Schema counts 10.0 as an integer, so it is one (1.5, "10" and
# true stay refused).
WholeNumber = BeforeValidator(_integral)
# A JSON boolean only: pydantic alone takes 0, 1, "yes" and "off", which the document refuses.
Flag = Annotated[bool, Field(strict=True)]


def _any_case_word(word: str) -> str:
    return "".join(f"[{letter.lower()}{letter.upper()}]" for letter in word)


# What JSON Schema's `format: email` allows is wider than what email-validator takes (a
# domain needs a dot; the special-use ones of RFC 6761, .test, .localhost …, are refused): the
# pattern documents a plain address within email-validator's limits (64 characters before
# the @, 254 in all).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?"
_SPECIAL_USE = "|".join(_any_case_word(name) for name in SPECIAL_USE_DOMAIN_NAMES)
EMAIL_PATTERN = (
    rf"^{_ATOM}{{1,32}}(\.{_ATOM}{{1,15}}){{0,2}}"
    rf"@(?!(.*\.)?({_SPECIAL_USE})$)({_LABEL}\.){{1,4}}[A-Za-z]{{2,24}}$"
)
Email = Annotated[EmailStr, Field(json_schema_extra={"pattern": EMAIL_PATTERN})]


@dataclass(frozen=True)
class DecimalString:
    """`Annotated[Decimal, DecimalString(whole, places)]`: an amount of at most `whole` digits
    before the point and `places` after it (above zero when `positive`), sent as a decimal
    string ("19.90") or as a whole JSON number (5). A JSON number with a fraction is refused:
    a binary float cannot carry 19.90 exactly. The document states both forms, so "", "1e3"
    or 1.5 is not schema-valid either."""

    whole: int
    places: int
    positive: bool = False

    @property
    def pattern(self) -> str:
        fraction = rf"(\.\d{{1,{self.places}}})?"
        if not self.positive:
            return rf"^(0|[1-9]\d{{0,{self.whole - 1}}}){fraction}$"
        # Above zero: a non-zero whole part, or 0.xxx with a non-zero digit among the places.
        tiny = "|".join(
            "0" * zeros + rf"[1-9]\d{{0,{self.places - zeros - 1}}}" for zeros in range(self.places)
        )
        return rf"^([1-9]\d{{0,{self.whole - 1}}}{fraction}|0\.({tiny}))$"

    def _parse(self, value: object) -> object:
        text: object = value
        if isinstance(value, Decimal):  # from Python (the admin panel's forms), never JSON
            text = format(value, "f")
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        if isinstance(text, str) and re.fullmatch(self.pattern, text):
            return text
        if isinstance(text, str) and self._below_range(text):
            # Well written but too small: say so, as pydantic's own bounds do.
            raise ValueError(
                "Input should be greater than 0" if self.positive else "Input should be 0 or more"
            )
        example = "12.5" if self.positive else "0 or 12.5"
        raise ValueError(
            f"a decimal string such as {example} (or a whole number): at most {self.whole}"
            f" digits, then at most {self.places} after the point"
            + (", above 0" if self.positive else "")
        )

    def _below_range(self, text: str) -> bool:
        try:
            number = Decimal(text)
        except ArithmeticError:
            return False
        return number.is_finite() and (number <= 0 if self.positive else number < 0)

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        step = Decimal(1).scaleb(-self.places)
        return core_schema.no_info_after_validator_function(
            lambda value: value.quantize(step),
            core_schema.no_info_before_validator_function(self._parse, handler(source)),
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        whole_number = {
            "type": "integer",
            "minimum": 1 if self.positive else 0,
            "maximum": 10**self.whole - 1,
        }
        return {"anyOf": [{"type": "string", "pattern": self.pattern}, whole_number]}


def _null_only_where_allowed(schema: dict[str, Any], model: type[Any]) -> None:
    """A PATCH field refusing null is documented without the null alternative."""
    nullable: frozenset[str] = model.nullable
    for name, field in schema.get("properties", {}).items():
        choices = field.get("anyOf")
        if name in nullable or not choices:
            continue
        kept = [choice for choice in choices if choice != {"type": "null"}]
        if len(kept) == 1:
            del field["anyOf"]
            field.update(kept[0])
        else:
            field["anyOf"] = kept


class PatchIn(BaseModel):
    """A PATCH body: only the fields sent change; `null` only where a field may be empty."""

    model_config = ConfigDict(json_schema_extra=_null_only_where_allowed)
    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required_fields(self) -> Self:
        for name in self.model_fields_set - self.nullable:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}
