"""Request and response models of the accounts API."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Form
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.accounts.models import Role
from app.accounts.passwords import MAX_LENGTH

# The password policy's type, public for whoever takes a new password (the launcher, admin).
from app.accounts.passwords import NewPassword as NewPassword
from app.core.schemas import Email, Flag

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# 5 to 32 digits, spaces, brackets and dashes, not starting or ending with a space: as
# documented, with no stripping that would shorten a schema-valid "    1" to "1".
Phone = Annotated[
    str,
    StringConstraints(pattern=r"^\+?[0-9()\-][0-9 ()\-]{3,30}[0-9()\-]$", max_length=32),
]
Token = Annotated[str, StringConstraints(min_length=1, max_length=2048)]
# Login and current-password fields accept any length up to the policy's maximum: an old
# password may predate the policy, and a too-long one must still be refused politely.
AnyPassword = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LENGTH)]


class LoginForm:
    """The OAuth2 password flow's form: `username` is the e-mail address (grant_type, scope
    and the client fields an OAuth2 client may add are ignored). FastAPI reads an empty form
    field as a missing one, so the document asks for at least one character."""

    def __init__(
        self,
        *,
        username: Annotated[str, Form(min_length=1)],
        password: Annotated[str, Form(min_length=1, json_schema_extra={"format": "password"})],
    ) -> None:
        self.username = username
        self.password = password


class Message(BaseModel):
    detail: str


class RegisterIn(BaseModel):
    email: Email
    password: NewPassword
    first_name: Name | None = None
    last_name: Name | None = None


class TokenIn(BaseModel):
    token: Token


class EmailIn(BaseModel):
    email: Email


class RefreshIn(BaseModel):
    refresh_token: Token


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int = Field(description="Seconds until the access token expires")


class ResetPasswordIn(BaseModel):
    token: Token
    password: NewPassword


class ChangePasswordIn(BaseModel):
    current_password: AnyPassword
    new_password: NewPassword


class Address(BaseModel):
    full_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    phone: Phone | None = None
    line1: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    line2: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    region: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    postal_code: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)
    ]
    country: Annotated[
        str,
        StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$"),
    ] = Field(description="ISO 3166-1 alpha-2 code, e.g. DE")


class ProfileIn(BaseModel):
    """PUT replaces the whole profile; PATCH changes only the fields sent."""

    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    default_address: Address | None = None


class ProfileOut(BaseModel):
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    default_address: Address | None = None


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    # A plain str: anonymised accounts carry an address on the reserved .invalid domain.
    email: str
    role: Role
    is_active: bool
    is_verified: bool
    created_at: datetime
    last_login_at: datetime | None


class MeOut(UserOut):
    profile: ProfileOut


class MeUpdateIn(BaseModel):
    """Changing the e-mail asks for the password and a confirmation from the new address."""

    email: Email
    current_password: AnyPassword


class DeleteAccountIn(BaseModel):
    current_password: AnyPassword


class UserAdminUpdateIn(BaseModel):
    role: Role | None = None
    is_active: Flag | None = None


class UserAdminCreateIn(BaseModel):
    """An account made by an admin (the admin panel), with its role and password."""

    email: Email
    password: NewPassword
    role: Role = Role.CUSTOMER
    is_active: Flag = True
    is_verified: Flag = False


class NewPasswordIn(BaseModel):
    """A password an admin sets for an account (the admin panel)."""

    password: NewPassword
