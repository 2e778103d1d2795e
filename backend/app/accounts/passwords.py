"""The password policy: 8 to 128 characters, and not one of the most common passwords."""

from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, Field
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 8
MAX_LENGTH = 128


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most frequent passwords of real leaks, lower-cased.
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_not_common(password: str) -> str:
    if password.lower() in _common_passwords():
        raise ValueError("This password is too common; choose one that is harder to guess.")
    return password


NewPassword = Annotated[
    str,
    Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH),
    AfterValidator(check_not_common),
]
