"""The admin views of accounts (through the accounts service):
- users (accounts service): created with `admin_create_user` (password policy, argon2);
  role and is_active through `admin_update_user`, as PATCH /users/{id}: not one's own
  account, never the last active admin (checked under its row lock), a deactivation ends
  every session; a new password through `set_password` (ends every session, e-mails the
  owner); a change of role, activity or password ends the user's admin sessions (sessions.py).
  The e-mail address and is_verified are set on creation only (afterwards the owner
  changes the address with a confirmation, as the API asks). The password hash is never
  shown nor exported; accounts are never deleted here (deletion anonymises, see the API);
- profiles (accounts service): `save_profile`, `delete_profile`.
"""

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from sqladmin import ModelView
from sqladmin.filters import (
    BooleanFilter,
    StaticValuesFilter,
)
from starlette.requests import Request
from wtforms import Form, PasswordField, SelectField, validators  # type: ignore[import-untyped]

from app.accounts import service as accounts_service
from app.accounts.models import Profile, RefreshToken, Role, User
from app.accounts.schemas import NewPasswordIn, ProfileIn, UserAdminCreateIn, UserAdminUpdateIn
from app.admin.sessions import admin_sessions
from app.admin.views import AdminInputError, ReadOnlyView, ShopModelView, filled, parse


class UserAdmin(ShopModelView, model=User):
    identity = "user"
    name_plural = "Users"
    icon = "fa-solid fa-user"
    category = "Accounts"
    can_delete = False  # deleting an account anonymises it: the API's DELETE /users/me
    column_list: ClassVar[Any] = [
        User.email,
        User.role,
        User.is_active,
        User.is_verified,
        User.last_login_at,
        User.created_at,
    ]
    column_details_list: ClassVar[Any] = [
        User.id,
        User.email,
        User.role,
        User.is_active,
        User.is_verified,
        User.last_login_at,
        User.deleted_at,
        User.created_at,
        User.updated_at,
    ]
    column_export_list: ClassVar[Any] = column_details_list
    column_searchable_list: ClassVar[Any] = [User.email]
    column_sortable_list: ClassVar[Any] = [
        User.email,
        User.role,
        User.created_at,
        User.last_login_at,
    ]
    column_default_sort: ClassVar[Any] = [(User.created_at, True)]
    column_filters: ClassVar[Any] = [
        StaticValuesFilter(User.role, [(role.value, role.value) for role in Role]),
        BooleanFilter(User.is_active),
        BooleanFilter(User.is_verified),
    ]
    form_columns: ClassVar[Any] = [User.email, User.role, User.is_active, User.is_verified]
    form_create_rules: ClassVar[list[str]] = [
        "email",
        "role",
        "is_active",
        "is_verified",
        "password",
    ]
    form_edit_rules: ClassVar[list[str]] = ["role", "is_active", "password"]
    form_overrides: ClassVar[Any] = {"role": SelectField}
    form_args: ClassVar[Any] = {
        "role": {"choices": [(role.value, role.value) for role in Role]},
    }

    async def scaffold_form(self, rules: list[str] | None = None) -> type[Form]:
        form = await super().scaffold_form(rules)

        class UserForm(form):  # type: ignore[valid-type,misc]
            password = PasswordField(
                "Password",
                validators=[validators.Optional()],
                description="A new password (required for a new user; empty keeps it).",
            )

        return UserForm

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        if not data.get("password"):
            raise AdminInputError("A new user needs a password.")
        fields = ("email", "password", "role", "is_active", "is_verified")
        values = parse(UserAdminCreateIn, filled(data, fields))
        async with self.transaction() as session:
            return await accounts_service.admin_create_user(session, values)

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        """As PATCH /users/{id} (the last-admin guard under its lock), then the password."""
        changes = parse(UserAdminUpdateIn, filled(data, ("role", "is_active")))
        password = parse(NewPasswordIn, data) if data.get("password") else None
        async with self.transaction() as session:
            user = await accounts_service.get_user(session, uuid.UUID(pk))
            actor = await accounts_service.get_user(session, request.state.admin_user_id)
            if user is None or actor is None:
                raise AdminInputError("This account no longer exists.")
            # The password first: its e-mail to the owner waits for the commit, so a role
            # change refused after it (the last admin, oneself) sends nothing.
            if password is not None:
                await accounts_service.set_password(session, user, password.password)
            # Once committed, a role or activity change ends every admin session of the user
            # (changed back later, the role would otherwise let them in again); a new
            # password ends them through the sessions' grant.
            await accounts_service.admin_update_user(
                session, actor, user, changes, on_access_changed=admin_sessions(request).end_all
            )
        return user


class ProfileAdmin(ShopModelView, model=Profile):
    identity = "profile"
    name_plural = "Profiles"
    icon = "fa-solid fa-id-card"
    category = "Accounts"
    can_create = False
    column_list: ClassVar[Any] = [
        Profile.user_id,
        Profile.first_name,
        Profile.last_name,
        Profile.phone,
        Profile.updated_at,
    ]
    column_searchable_list: ClassVar[Any] = [Profile.first_name, Profile.last_name, Profile.phone]
    column_sortable_list: ClassVar[Any] = [Profile.last_name, Profile.updated_at]
    form_columns: ClassVar[Any] = [
        Profile.first_name,
        Profile.last_name,
        Profile.phone,
        Profile.default_address,
    ]

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        fields = ("first_name", "last_name", "phone", "default_address")
        values = parse(ProfileIn, filled(data, fields))
        async with self.transaction() as session:
            user = await self.load_existing(session, accounts_service.get_user, pk, "account")
            return await accounts_service.save_profile(session, user, values, partial=False)

    async def delete_model(self, request: Request, pk: Any) -> None:
        await self.delete_through(pk, accounts_service.get_user, accounts_service.delete_profile)


class RefreshTokenAdmin(ReadOnlyView, model=RefreshToken):
    """Sessions of the API: who is logged in since when; the token hashes stay hidden."""

    identity = "refresh-token"
    name_plural = "Refresh tokens"
    icon = "fa-solid fa-key"
    category = "Accounts"
    can_export = False
    column_list: ClassVar[Any] = [
        RefreshToken.user_id,
        RefreshToken.family_id,
        RefreshToken.created_at,
        RefreshToken.expires_at,
        RefreshToken.revoked_at,
    ]
    column_details_exclude_list: ClassVar[Any] = [RefreshToken.token_hash]
    column_searchable_list: ClassVar[Any] = [RefreshToken.user_id]
    column_sortable_list: ClassVar[Any] = [
        RefreshToken.created_at,
        RefreshToken.expires_at,
        RefreshToken.revoked_at,
    ]
    column_default_sort: ClassVar[Any] = [(RefreshToken.created_at, True)]


ACCOUNT_VIEWS: Sequence[type[ModelView]] = (
    UserAdmin,
    ProfileAdmin,
    RefreshTokenAdmin,
)
