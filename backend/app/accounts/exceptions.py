"""Errors of the accounts domain; app.core.errors maps them to HTTP once."""

from app.core.errors import Conflict, DomainError, Forbidden, NotAuthenticated, NotFound


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"
    detail = "Incorrect e-mail or password."


class InactiveUser(Forbidden):
    code = "inactive_user"
    detail = "This account is deactivated."


class InvalidAccessToken(NotAuthenticated):
    code = "invalid_token"
    detail = "The access token is invalid or has expired."


class InvalidRefreshToken(NotAuthenticated):
    code = "invalid_refresh_token"
    detail = "The refresh token is invalid, expired or revoked."


class RefreshTokenReused(NotAuthenticated):
    code = "refresh_token_reused"
    detail = "This refresh token was already used; every session of this login was revoked."
    # The revocation of the whole family must be committed although the request fails.
    rollback = False


class InvalidVerificationToken(DomainError):
    code = "invalid_verification_token"
    detail = "The confirmation link is invalid or has expired."


class AlreadyVerified(DomainError):
    code = "already_verified"
    detail = "This e-mail address is already confirmed."


class InvalidResetToken(DomainError):
    code = "invalid_reset_token"
    detail = "The password reset link is invalid, expired or already used."


class WrongPassword(DomainError):
    code = "wrong_password"
    detail = "The current password is not correct."


class EmailTaken(Conflict):
    code = "email_taken"
    detail = "This e-mail address belongs to another account."


class CannotModifySelf(Conflict):
    code = "cannot_modify_self"
    detail = "Admins cannot change their own role or deactivate themselves."


class LastAdmin(Conflict):
    code = "last_admin"
    detail = "The shop needs at least one active admin."


class AccountDeleted(Conflict):
    code = "account_deleted"
    detail = "This account was deleted by its owner and cannot be reactivated."


class UserNotFound(NotFound):
    code = "user_not_found"
    detail = "User not found."


class InsufficientRole(Forbidden):
    code = "insufficient_role"
    detail = "Your role does not allow this."
