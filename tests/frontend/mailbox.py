"""The browser tests' mailbox: the SMTP server the stack's Celery worker sends through
(tests/fixtures/mail.py), readable over HTTP on loopback by the node scripts:

    GET /messages?to=<address>  →  [{"to": [...], "from": "...", "subject": "...",
                                     "text": "...", "html": "..."}, ...]   (oldest first)

Without `to`, every message. frontend/e2e/helpers.mjs polls it (`waitForMail`).
"""

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fixtures.mail import ReceivedMail, SmtpServer, running_smtp_server


def _body(message: EmailMessage, kind: str) -> str | None:
    part = message.get_body(preferencelist=(kind,))
    return None if part is None else str(part.get_content())


def as_json(mail: ReceivedMail) -> dict[str, Any]:
    return {
        "to": list(mail.recipients),
        "from": mail.sender,
        "subject": str(mail.message.get("Subject", "")),
        "text": _body(mail.message, "plain"),
        "html": _body(mail.message, "html"),
    }


@dataclass(frozen=True)
class Mailbox:
    smtp: SmtpServer
    url: str  # http://127.0.0.1:<port>, the base of GET /messages


def _handler(smtp: SmtpServer) -> type[BaseHTTPRequestHandler]:
    class MailboxHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != "/messages":
                self.send_error(404)
                return
            to = parse_qs(url.query).get("to", [""])[0].lower()
            found = [as_json(mail) for mail in smtp.received if not to or to in mail.recipients]
            body = json.dumps(found).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the node scripts poll it."""

    return MailboxHandler


@contextmanager
def running_mailbox() -> Iterator[Mailbox]:
    # aiosmtpd logs every SMTP command at INFO: hundreds of lines in a failure's report.
    smtp_log = logging.getLogger("mail.log")
    level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)
    try:
        with running_smtp_server() as smtp:
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(smtp))
            threading.Thread(target=server.serve_forever, name="mailbox", daemon=True).start()
            try:
                yield Mailbox(smtp=smtp, url=f"http://127.0.0.1:{server.server_address[1]}")
            finally:
                server.shutdown()
                server.server_close()
    finally:
        smtp_log.setLevel(level)
