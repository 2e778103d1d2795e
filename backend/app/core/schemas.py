"""Building blocks of request schemas that every domain uses."""

from decimal import Decimal
from typing import Any, ClassVar, Self

from pydantic import AfterValidator, BaseModel, model_validator


def quantize(places: str) -> Any:
    """A validator rounding a Decimal to `places` (e.g. "0.01") after its checks passed."""
    step = Decimal(places)
    return AfterValidator(lambda value: value.quantize(step))


class PatchIn(BaseModel):
    """A PATCH body: only the fields sent change; `null` only where a field may be empty."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required_fields(self) -> Self:
        for name in self.model_fields_set - self.nullable:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}
