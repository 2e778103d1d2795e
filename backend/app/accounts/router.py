"""Accounts routes: /auth for getting in, /users for the account and its administration."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from app.accounts import service
from app.accounts.dependencies import AdminUser, CurrentUser, LoginThrottleDep, UserById
from app.accounts.models import Profile, Role, User
from app.accounts.schemas import (
    ChangePasswordIn,
    EmailIn,
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
from app.core.pagination import Page, PageParamsDep

auth_router = APIRouter(prefix="/auth", tags=["auth"])
users_router = APIRouter(prefix="/users", tags=["users"])

REGISTERED = Message(detail="Check your inbox: we sent you a link to confirm your e-mail address.")
VERIFICATION_SENT = Message(
    detail="If that address has an unconfirmed account, a new confirmation link is on its way."
)
RESET_SENT = Message(detail="If that address has an account, a password reset link is on its way.")


@auth_router.post("/register", status_code=status.HTTP_201_CREATED)
async def register(data: RegisterIn, session: SessionDep) -> Message:
    """Create a customer account and e-mail a confirmation link (same answer for a taken e-mail)."""
    await service.register(session, data)
    return REGISTERED


@auth_router.post("/verify")
async def verify(data: TokenIn, session: SessionDep) -> UserOut:
    user = await service.verify_email(session, data.token)
    return UserOut.model_validate(user)


@auth_router.post("/verify/resend", status_code=status.HTTP_202_ACCEPTED)
async def resend_verification(data: EmailIn, session: SessionDep) -> Message:
    await service.resend_verification(session, data.email)
    return VERIFICATION_SENT


@auth_router.post("/login")
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    throttle: LoginThrottleDep,
) -> TokenPair:
    """OAuth2 password flow: `username` is the e-mail address."""
    ip = request.client.host if request.client else "unknown"
    return await service.login(session, throttle, form.username, form.password, ip)


@auth_router.post("/refresh")
async def refresh(data: RefreshIn, session: SessionDep) -> TokenPair:
    return await service.refresh(session, data.refresh_token)


@auth_router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(data: RefreshIn, session: SessionDep) -> None:
    await service.logout(session, data.refresh_token)


@auth_router.post("/forgot-password", status_code=status.HTTP_202_ACCEPTED)
async def forgot_password(data: EmailIn, session: SessionDep) -> Message:
    await service.forgot_password(session, data.email)
    return RESET_SENT


@auth_router.post("/reset-password", status_code=status.HTTP_204_NO_CONTENT)
async def reset_password(data: ResetPasswordIn, session: SessionDep) -> None:
    await service.reset_password(session, data.token, data.password)


@auth_router.post("/change-password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(data: ChangePasswordIn, user: CurrentUser, session: SessionDep) -> None:
    await service.change_password(session, user, data.current_password, data.new_password)


async def _me(session: SessionDep, user: User) -> MeOut:
    profile = _profile_out(await service.get_profile(session, user))
    return MeOut(**UserOut.model_validate(user).model_dump(), profile=profile)


def _profile_out(profile: Profile | None) -> ProfileOut:
    return ProfileOut.model_validate(profile, from_attributes=True) if profile else ProfileOut()


@users_router.get("/me")
async def read_me(user: CurrentUser, session: SessionDep) -> MeOut:
    return await _me(session, user)


@users_router.patch("/me")
async def update_me(data: MeUpdateIn, user: CurrentUser, session: SessionDep) -> MeOut:
    """Change the e-mail address: asks for the password, then a new confirmation."""
    await service.change_email(session, user, data.email, data.current_password)
    return await _me(session, user)


@users_router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
async def delete_me(user: CurrentUser, session: SessionDep) -> None:
    """Deactivate and anonymise the account; its orders stay."""
    await service.delete_account(session, user)


@users_router.get("/me/profile")
async def read_profile(user: CurrentUser, session: SessionDep) -> ProfileOut:
    return _profile_out(await service.get_profile(session, user))


@users_router.put("/me/profile")
async def replace_profile(data: ProfileIn, user: CurrentUser, session: SessionDep) -> ProfileOut:
    return _profile_out(await service.save_profile(session, user, data, partial=False))


@users_router.patch("/me/profile")
async def update_profile(data: ProfileIn, user: CurrentUser, session: SessionDep) -> ProfileOut:
    return _profile_out(await service.save_profile(session, user, data, partial=True))


@users_router.delete("/me/profile", status_code=status.HTTP_204_NO_CONTENT)
async def delete_profile(user: CurrentUser, session: SessionDep) -> None:
    await service.delete_profile(session, user)


@users_router.get("")
async def list_users(
    _: AdminUser,
    session: SessionDep,
    params: PageParamsDep,
    role: Role | None = None,
    email: Annotated[str | None, Query(max_length=320, description="part of the e-mail")] = None,
) -> Page[UserOut]:
    users, total = await service.list_users(session, params, role, email)
    return Page(
        items=[UserOut.model_validate(user) for user in users],
        total=total,
        page=params.page,
        size=params.size,
    )


@users_router.get("/{user_id}")
async def read_user(_: AdminUser, user: UserById) -> UserOut:
    return UserOut.model_validate(user)


@users_router.patch("/{user_id}")
async def update_user(
    data: UserAdminUpdateIn, actor: AdminUser, user: UserById, session: SessionDep
) -> UserOut:
    return UserOut.model_validate(await service.admin_update_user(session, actor, user, data))
