"""The frontend tests' stack itself: the API (another process) enqueues on the stack's own
Celery queue, its worker sends through the mailbox, the node scripts can read the e-mail over
HTTP, and its links lead to the storefront's https address (nginx's, FRONTEND_URL)."""

import uuid

import httpx

from tests.fixtures.mail import link_token
from tests.frontend.seed import PASSWORD
from tests.frontend.stack import Backend


def test_a_registration_email_reaches_the_mailbox_with_a_link_to_the_storefront(
    backend: Backend,
) -> None:
    email = f"stack-{uuid.uuid4().hex[:8]}@example.com"
    response = httpx.post(
        f"{backend.api.url}/api/v1/auth/register",
        json={"email": email, "password": PASSWORD},
        timeout=10,
    )
    assert response.status_code == 201, response.text

    message = backend.mailbox.smtp.wait_for(email, subject_contains="Confirm your e-mail")
    token = link_token(message, "/verify-email")
    mails = httpx.get(f"{backend.mailbox.url}/messages", params={"to": email}, timeout=10).json()
    assert [mail["subject"] for mail in mails] == [str(message["Subject"])]
    link = f"https://127.0.0.1:{backend.public_https_port}/verify-email?token={token}"
    assert link in mails[0]["text"]
    assert mails[0]["html"]
    assert mails[0]["to"] == [email]
