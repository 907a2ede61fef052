"""Outgoing e-mail.

With `MAIL_URL` (smtp://user:password@host:port, smtps://… or smtp+starttls://…) messages go
through SMTP; without it they are written as .eml files into `instance/outbox/`, where a
developer (or a test) reads them.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template

logger = logging.getLogger(__name__)


def send_mail(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Render `templates/emails/<template>.txt` and send it to `to`."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="consultation")
    message.set_content(render_template(f"emails/{template}.txt", **context))
    mail_url = current_app.config.get("MAIL_URL")
    if mail_url:
        _send_smtp(mail_url, message)
    else:
        _write_outbox(Path(current_app.config["MAIL_OUTBOX"]), message)
    logger.info("mail sent: template=%s", template)
    return message


def _write_outbox(outbox: Path, message: EmailMessage) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{message['Date'].replace(' ', '_').replace(':', '')}-{uuid.uuid4().hex[:8]}.eml"
    (outbox / name).write_bytes(bytes(message))


def _send_smtp(mail_url: str, message: EmailMessage) -> None:
    url = urlsplit(mail_url)
    secure = url.scheme == "smtps"
    smtp_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
    port = url.port or (465 if secure else 587 if url.scheme == "smtp+starttls" else 25)
    with smtp_class(url.hostname or "localhost", port, timeout=30) as smtp:
        if url.scheme == "smtp+starttls":
            smtp.starttls()
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(message)
