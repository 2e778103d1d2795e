"""Every e-mail renders a one-line subject, a complete text and an escaped HTML version."""

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.notifications import service as notifications_service
from app.notifications.rendering import TEMPLATE_DIR
from tests.notifications.samples import BASE_CONTEXT, SAMPLE_CONTEXTS

EVIL = '<script>alert("x")</script>'


def leaves(value: Any) -> list[Any]:
    """The plain values in a context value (the order e-mails' `lines` is a list of dicts)."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item)]
    return [value]


def poisoned(value: Any, name: str) -> Any:
    """`value` with each plain value replaced by EVIL followed by its name."""
    if isinstance(value, dict):
        return {key: poisoned(item, f"{name}.{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [poisoned(item, f"{name}.{index}") for index, item in enumerate(value)]
    return f"{EVIL}{name}"


def test_the_samples_cover_every_email_and_every_email_has_its_three_files() -> None:
    assert set(SAMPLE_CONTEXTS) == set(notifications_service.EMAIL_TEMPLATES)
    for name in notifications_service.EMAIL_TEMPLATES:
        for suffix in (".subject.txt", ".txt", ".html"):
            assert (TEMPLATE_DIR / f"{name}{suffix}").is_file(), f"{name}{suffix}"


@pytest.mark.parametrize("template", sorted(SAMPLE_CONTEXTS))
def test_renders_subject_text_and_html(template: str) -> None:
    context = {**BASE_CONTEXT, **SAMPLE_CONTEXTS[template]}
    email = notifications_service.render_email(template, context)

    assert email.subject
    assert "\n" not in email.subject
    assert email.subject == email.subject.strip()
    assert "Test Shop" in email.subject

    # The text version is complete on its own: every value, no markup.
    for value in context.values():
        for leaf in leaves(value):
            assert str(leaf) in email.text
    assert "<" not in email.text

    assert email.html.lstrip().startswith("<!DOCTYPE html>")
    assert "</html>" in email.html
    assert 'href="http://shop.example.com"' in email.html  # the base layout's shop link
    for key, value in SAMPLE_CONTEXTS[template].items():
        if key.endswith("link"):
            assert f'href="{value}"' in email.html
        else:
            for leaf in leaves(value):
                assert str(leaf) in email.html


@pytest.mark.parametrize("template", sorted(SAMPLE_CONTEXTS))
def test_html_escapes_every_value_and_text_keeps_it_verbatim(template: str) -> None:
    context: dict[str, Any] = {
        key: poisoned(value, key) for key, value in SAMPLE_CONTEXTS[template].items()
    }
    context |= {"shop_name": f"Shop {EVIL}", "frontend_url": "http://shop.example.com"}
    email = notifications_service.render_email(template, context)

    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in email.html
    assert f"Shop {EVIL}" in email.text
    for key in SAMPLE_CONTEXTS[template]:
        for leaf in leaves(context[key]):
            assert leaf in email.text


def test_a_link_with_several_parameters_stays_whole() -> None:
    link = "http://shop.example.com/verify-email?token=abc&next=/orders"
    email = notifications_service.render_email(
        "verify_email", {**BASE_CONTEXT, "link": link, "expires_hours": 1}
    )
    assert link in email.text
    assert 'href="http://shop.example.com/verify-email?token=abc&amp;next=/orders"' in email.html


def test_unknown_template_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Unknown e-mail template 'welcome'"):
        notifications_service.render_email("welcome", BASE_CONTEXT)
    with pytest.raises(ValueError, match="Unknown e-mail template"):
        notifications_service.render_email("../base", BASE_CONTEXT)


def test_missing_context_key_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="expires_minutes"):
        notifications_service.render_email(
            "password_reset", {**BASE_CONTEXT, "link": "http://shop.example.com/x"}
        )
    with pytest.raises(ValueError, match="shop_name"):
        notifications_service.render_email("password_changed", {"frontend_url": "http://x"})


def test_send_email_refuses_an_unknown_template_or_missing_key_before_enqueueing() -> None:
    session = AsyncSession()  # unbound: nothing may touch the database or queue anything
    with pytest.raises(ValueError, match="Unknown e-mail template"):
        notifications_service.send_email(session, to="a@example.com", template="nope", context={})
    with pytest.raises(ValueError, match="new_email"):
        notifications_service.send_email(
            session, to="a@example.com", template="email_changed", context={}
        )
    assert not session.info.get("after_commit")
