"""Outgoing e-mail.

With `MAIL_URL` (smtp://user:password@host:port, smtps://… or smtp+starttls://…) messages go
through SMTP; without it they are written as .eml files into `instance/outbox/`, where a
developer (or a test) reads them.

Nothing leaves before the transaction that caused it commits: `send_mail` renders a message
and `queue_mail` takes a rendered one; while the database session has a transaction open, the
message waits on the session and leaves when it commits — dropped if it rolls back, so that a
refused or failed act sends no receipt. Then, during a request with SMTP configured, it leaves
once the answer has gone out (see `queue_mail`): how long an answer takes tells neither whether
a message was sent nor how slow the SMTP server is (the accounts' flows rely on it).
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from flask import (
    Response,
    after_this_request,
    current_app,
    g,
    has_request_context,
    render_template,
)
from flask_babel import force_locale
from sqlalchemy.orm import Session

from consultation.core.i18n import LazyString
from consultation.extensions import db

logger = logging.getLogger(__name__)


def compose_mail(
    to: str,
    subject: str | LazyString,
    template: str,
    *,
    reply_to: str | None = None,
    locale: str | None = None,
    **context: Any,
) -> EmailMessage:
    """Render `templates/emails/<template>.txt` into a message to `to`, without sending it;
    `reply_to` names where an answer goes (MAIL_FROM is a no-reply address).

    The message is written in the recipient's language: `locale`, else the `locale` of the
    `user` the template is given, else French; whatever the language of the request or job
    that sends it. A subject made with `core.i18n.lazy` (`_l`) is read in that language too."""
    user = context.get("user")
    language = locale or getattr(user, "locale", None) or "fr"
    with force_locale(language):
        text = render_template(f"emails/{template}.txt", reply_to=reply_to, **context)
        subject = str(subject)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="consultation")
    message.set_content(text)
    return message


def send_mail(
    to: str,
    subject: str | LazyString,
    template: str,
    *,
    reply_to: str | None = None,
    **context: Any,
) -> EmailMessage:
    """Render `templates/emails/<template>.txt` and send it to `to` once the current
    transaction commits (`queue_mail`)."""
    message = compose_mail(to, subject, template, reply_to=reply_to, **context)
    queue_mail(message)
    return message


def deliver_mail(message: EmailMessage) -> None:
    """Send a rendered message now: through SMTP, or into the outbox folder."""
    mail_url = current_app.config.get("MAIL_URL")
    if mail_url:
        _send_smtp(mail_url, message)
    else:
        _write_outbox(Path(current_app.config["MAIL_OUTBOX"]), message)
    logger.info("mail sent: %s", message["Subject"])


def deliver_all(messages: list[EmailMessage]) -> int:
    """Send rendered messages now, one by one, after ending the session's transaction (a job
    reads its recipients, then sends while holding no database lock). A message that fails is
    logged and the others leave; returns how many left."""
    db.session.commit()  # a job's reads: nothing written, the transaction and its locks end
    sent = 0
    for message in messages:
        try:
            deliver_mail(message)
        except Exception:
            logger.exception("mail to one recipient not sent: %s", message["Subject"])
        else:
            sent += 1
    return sent


_PENDING = "mail_after_commit"


def queue_mail(message: EmailMessage) -> None:
    """Send a rendered message once the current transaction commits (at once when none is
    open), and not at all if it rolls back; then as `_hand_over` says."""
    session = db.session()
    if session.in_transaction():
        session.info.setdefault(_PENDING, []).append(message)
    else:
        _hand_over(message)


@sa.event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the transaction that asked may still roll back
    for message in session.info.pop(_PENDING, ()):
        _hand_over(message)


@sa.event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint rolled back: the transaction (and its messages) goes on
    dropped = session.info.pop(_PENDING, ())
    if dropped:
        logger.info("%d message(s) not sent: their transaction rolled back", len(dropped))


def _hand_over(message: EmailMessage) -> None:
    """Send a rendered message once the answer to the current request has gone out.

    During a request, with SMTP configured, the message leaves when the WSGI server closes the
    response, after sending it, and only if the answer is not an error (status below 400: a
    request that failed, its transaction rolled back, sends nothing). The time an answer takes
    then depends neither on whether a message was sent nor on the SMTP server. A failure to
    send is logged; the answer is already gone. Outside a request, or with the outbox folder
    (a local file written in well under a millisecond), the message is delivered at once.
    """
    if not has_request_context() or not current_app.config.get("MAIL_URL"):
        deliver_mail(message)
        return
    queued = g.get("_mail_after_response")
    if queued is None:
        queued = g._mail_after_response = []
        after_this_request(_send_after_response)
    queued.append(message)


def _send_after_response(response: Response) -> Response:
    messages = g.pop("_mail_after_response", [])
    if response.status_code >= 400:
        logger.warning(
            "%d message(s) not sent: the request answered %d", len(messages), response.status_code
        )
        return response
    mail_url = current_app.config["MAIL_URL"]
    response.call_on_close(lambda: _send_all(mail_url, messages))
    return response


def _send_all(mail_url: str, messages: list[EmailMessage]) -> None:
    for message in messages:
        try:
            _send_smtp(mail_url, message)
        except Exception:  # the answer is gone: log, and send the others
            logger.exception("mail not sent after the response")
        else:
            logger.info("mail sent after the response: %s", message["Subject"])


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
