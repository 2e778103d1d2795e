"""Accounts routes: /auth for getting in, /users for the account and its administration."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from app.accounts import service
from app.accounts.dependencies import (
    AccountLimitsDep,
    AdminUser,
    CurrentUser,
    OnAccessChanged,
    UserById,
)
from app.accounts.exceptions import (
    AccountDeleted,
    AlreadyVerified,
    CannotModifySelf,
    EmailTaken,
    InactiveUser,
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidResetToken,
    InvalidVerificationToken,
    LastAdmin,
    RefreshTokenReused,
    WrongPassword,
)
from app.accounts.models import Profile, Role
from app.accounts.schemas import (
    ChangePasswordIn,
    DeleteAccountIn,
    EmailIn,
    LoginForm,
    MeOut,
    Message,
    MeUpdateIn,
    ProfileIn,
    ProfileOut,
    RefreshIn,
    RegisterIn,
    ResetPasswordIn,
    TokenIn,
    TokenPair,
    UserAdminUpdateIn,
    UserOut,
)
from app.core.db import SessionDep
from app.core.errors import raises
from app.core.pagination import Page, PageParamsDep
from app.core.ratelimit import ClientIP

auth_router = APIRouter(prefix="/auth", tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"])

REGISTERED = Message(detail="Check your inbox: we sent you a link to confirm your e-mail address.")
VERIFICATION_SENT = Message(
    detail="If that address has an unconfirmed account, a new confirmation link is on its way."
)
RESET_SENT = Message(detail="If that address has an account, a password reset link is on its way.")
EMAIL_CHANGE_SENT = Message(
    detail="Check the new address's inbox: the change takes effect once you follow our link."
)


@auth_router.post("/register", status_code=status.HTTP_201_CREATED)
async def register(
    data: RegisterIn, session: SessionDep, limits: AccountLimitsDep, ip: ClientIP
) -> Message:
    """Anyone. Create a customer account and e-mail a confirmation link; a taken address
    gets the same answer (its owner is told by e-mail)."""
    await service.register(session, limits, data, ip)
    return REGISTERED


@auth_router.post("/verify")
@raises(InvalidVerificationToken, AlreadyVerified, EmailTaken)
async def verify(data: TokenIn, session: SessionDep) -> UserOut:
    """Anyone with a link from our e-mail: confirm the address (or an address change)."""
    return UserOut.model_validate(await service.confirm_email(session, data.token))


@auth_router.post("/verify/resend", status_code=status.HTTP_202_ACCEPTED)
async def resend_verification(
    data: EmailIn, session: SessionDep, limits: AccountLimitsDep, ip: ClientIP
) -> Message:
    """Anyone. Always 202 with the same body."""
    await service.resend_verification(session, limits, data.email, ip)
    return VERIFICATION_SENT


@auth_router.post("/login")
@raises(InvalidCredentials, InactiveUser)
async def login(
    form: Annotated[LoginForm, Depends()],
    session: SessionDep,
    limits: AccountLimitsDep,
    ip: ClientIP,
) -> TokenPair:
    """Anyone. OAuth2 password flow: `username` is the e-mail address."""
    return await service.login(session, limits, form.username, form.password, ip)


@auth_router.post("/refresh")
@raises(InvalidRefreshToken, RefreshTokenReused)
async def refresh(data: RefreshIn, session: SessionDep) -> TokenPair:
    """Anyone with a refresh token: a new pair; the presented token is spent."""
    return await service.refresh(session, data.refresh_token)


@auth_router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(data: RefreshIn, session: SessionDep) -> None:
    """Anyone with a refresh token: revoke it."""
    await service.logout(session, data.refresh_token)


@auth_router.post("/forgot-password", status_code=status.HTTP_202_ACCEPTED)
async def forgot_password(
    data: EmailIn, session: SessionDep, limits: AccountLimitsDep, ip: ClientIP
) -> Message:
    """Anyone. Always 202 with the same body."""
    await service.forgot_password(session, limits, data.email, ip)
    return RESET_SENT


@auth_router.post("/reset-password", status_code=status.HTTP_204_NO_CONTENT)
@raises(InvalidResetToken)
async def reset_password(data: ResetPasswordIn, session: SessionDep) -> None:
    """Anyone with a reset link: set the password; every session ends."""
    await service.reset_password(session, data.token, data.password)


@auth_router.post("/change-password")
@raises(WrongPassword)
async def change_password(
    data: ChangePasswordIn,
    user: CurrentUser,
    session: SessionDep,
    limits: AccountLimitsDep,
    ip: ClientIP,
) -> TokenPair:
    """Any user. Every other session ends; the answer is this session's new token pair."""
    return await service.change_password(
        session, limits, user, data.current_password, data.new_password, ip
    )


def _profile_out(profile: Profile | None) -> ProfileOut:
    return ProfileOut.model_validate(profile, from_attributes=True) if profile else ProfileOut()


@users_router.get("/me")
async def read_me(user: CurrentUser, session: SessionDep) -> MeOut:
    """Any user: the account and its profile."""
    profile = _profile_out(await service.get_profile(session, user))
    return MeOut(**UserOut.model_validate(user).model_dump(), profile=profile)


@users_router.patch("/me", status_code=status.HTTP_202_ACCEPTED)
@raises(WrongPassword)
async def update_me(
    data: MeUpdateIn, user: CurrentUser, session: SessionDep, limits: AccountLimitsDep, ip: ClientIP
) -> Message:
    """Any user. Change the e-mail address: asks for the password, then takes effect when
    the link sent to the new address is followed."""
    await service.request_email_change(session, limits, user, data.email, data.current_password, ip)
    return EMAIL_CHANGE_SENT


@users_router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
@raises(WrongPassword)
async def delete_me(
    data: DeleteAccountIn,
    user: CurrentUser,
    session: SessionDep,
    limits: AccountLimitsDep,
    ip: ClientIP,
) -> None:
    """Any user, giving the password again: deactivate and anonymise the account; its
    orders stay."""
    await service.delete_account(session, limits, user, data.current_password, ip)


@users_router.get("/me/profile")
async def read_profile(user: CurrentUser, session: SessionDep) -> ProfileOut:
    """Any user."""
    return _profile_out(await service.get_profile(session, user))


@users_router.put("/me/profile")
async def replace_profile(data: ProfileIn, user: CurrentUser, session: SessionDep) -> ProfileOut:
    """Any user: replace the whole profile (fields left out become empty)."""
    return _profile_out(await service.save_profile(session, user, data, partial=False))


@users_router.patch("/me/profile")
async def update_profile(data: ProfileIn, user: CurrentUser, session: SessionDep) -> ProfileOut:
    """Any user: change the fields sent."""
    return _profile_out(await service.save_profile(session, user, data, partial=True))


@users_router.delete("/me/profile", status_code=status.HTTP_204_NO_CONTENT)
async def delete_profile(user: CurrentUser, session: SessionDep) -> None:
    """Any user: clear the profile."""
    await service.delete_profile(session, user)


@users_router.get("")
async def list_users(
    _: AdminUser,
    session: SessionDep,
    params: PageParamsDep,
    role: Role | None = None,
    email: Annotated[str | None, Query(max_length=320, description="part of the e-mail")] = None,
) -> Page[UserOut]:
    """Admins: users, newest first."""
    users, total = await service.list_users(session, params, role, email)
    return Page(
        items=[UserOut.model_validate(user) for user in users],
        total=total,
        page=params.page,
        size=params.size,
    )


@users_router.get("/{user_id}")
async def read_user(_: AdminUser, user: UserById) -> UserOut:
    """Admins."""
    return UserOut.model_validate(user)


@users_router.patch("/{user_id}")
@raises(CannotModifySelf, AccountDeleted, LastAdmin)
async def update_user(
    data: UserAdminUpdateIn,
    actor: AdminUser,
    user: UserById,
    session: SessionDep,
    on_access_changed: OnAccessChanged,
) -> UserOut:
    """Admins: change the role or deactivate/reactivate (not oneself, not the last admin)."""
    updated = await service.admin_update_user(
        session, actor, user, data, on_access_changed=on_access_changed
    )
    return UserOut.model_validate(updated)
