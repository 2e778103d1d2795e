"""Every domain's models, imported so that Alembic and the tests see the whole schema."""

from app.accounts.models import Profile, RefreshToken, User
from app.core.db import Base

metadata = Base.metadata

__all__ = ["Profile", "RefreshToken", "User", "metadata"]
