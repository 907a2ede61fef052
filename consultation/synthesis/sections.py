"""The synthesis text in sections, so that an agent edits one part at a time.

The text stays one Markdown document (what the API's PUT, the published versions and the record
hold); its sections are read from it: the text before the first level-2 heading (`## …`) is the
opening section, then one section per `##` or `###` heading down to the next of either level
(the draft writes the participation, the articles — each article under its `###` —, the
campaigns, the proposals, the themes — each theme under its `###` —, the opinion groups). A
`##` section holds its heading and the text before its first `###`; each `###` section (level
3) is listed under it. A heading inside a fenced code block is not a heading. Each section has a key (its heading's words,
ASCII and hyphenated, numbered when repeated; `ouverture` for the opening), its heading, its
text (heading line included) and a fingerprint of that text.

`save_section` replaces one section and saves the whole text. It is given the fingerprint of
the section as it was loaded: when the section has changed since (another person saved it, or
renamed or removed it), the save is refused (`SectionChanged`, 409) and nothing is written, so
that two people editing two sections never overwrite each other and the one whose section went
stale keeps what they typed.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from markdown.extensions.toc import slugify

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core.errors import InvalidState, NotFound, ValidationFailed
from consultation.extensions import db
from consultation.synthesis import publishing
from consultation.synthesis.models import Synthesis
from consultation.synthesis.rules import normalise_text

logger = logging.getLogger(__name__)

OPENING_KEY = "ouverture"
_HEADING = re.compile(r"^(#{2,3})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")


class SectionChanged(InvalidState):
    """The section was changed by someone else since it was loaded."""

    code = "section_changed"


@dataclass(frozen=True)
class Section:
    key: str
    heading: str  # "" for the opening section
    text: str  # its Markdown, heading line included
    fingerprint: str
    level: int = 2  # 2 for `##` (and the opening), 3 for `###`

    @property
    def length(self) -> int:
        return len(self.text.strip())


def fingerprint(text: str) -> str:
    """A short fingerprint of a section's text (SHA-256, 16 hex digits), its line endings and
    surrounding blank space aside."""
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()[:16]


def split_sections(body: str) -> list[Section]:
    """The sections of `body`, in order; joined, their texts give `body` back exactly."""
    chunks: list[tuple[str, int, list[str]]] = [("", 2, [])]
    fenced = None
    for line in (body or "").splitlines(keepends=True):
        fence = _FENCE.match(line)
        if fence:
            fenced = None if fenced == fence.group(1) else (fenced or fence.group(1))
        found = None if fenced or fence else _HEADING.match(line.rstrip("\r\n"))
        if found:
            chunks.append((found.group(2).strip(), len(found.group(1)), [line]))
        else:
            chunks[-1][2].append(line)
    sections: list[Section] = []
    seen: dict[str, int] = {}
    for index, (heading, level, lines) in enumerate(chunks):
        text = "".join(lines)
        if index == 0:
            if not text.strip():
                if text:  # blank lines before the first heading: kept with the opening
                    sections.append(Section(OPENING_KEY, "", text, fingerprint(text)))
                continue
            key = OPENING_KEY
        else:
            base = slugify(heading, "-") or "partie"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base}-{seen[base]}"
        sections.append(Section(key, heading, text, fingerprint(text), level))
    return sections


def visible_sections(body: str) -> list[Section]:
    """The sections an editor lists: the opening section only when it holds text."""
    return [s for s in split_sections(body) if s.key != OPENING_KEY or s.text.strip()]


def find_section(body: str, key: str) -> Section | None:
    return next((s for s in split_sections(body) if s.key == key), None)


def replace_section(
    body: str, key: str, text: str, loaded_fingerprint: str
) -> tuple[str, str | None]:
    """`body` with the section `key` replaced by `text`, and the key the replacement is found
    under (its heading may have changed; None when `text` is empty: the section is removed).
    Raises SectionChanged when the section is gone or its fingerprint is no longer
    `loaded_fingerprint`."""
    sections = split_sections(body)
    index = next((i for i, s in enumerate(sections) if s.key == key), None)
    if index is None or sections[index].fingerprint != loaded_fingerprint:
        raise SectionChanged(
            _(
                "Cette partie a été modifiée par quelqu'un d'autre depuis que vous l'avez "
                "ouverte : votre texte n'est pas enregistré. Il est conservé ci-dessous ; "
                "copiez-le, rechargez la partie et reportez vos changements."
            )
        )
    new = normalise_text(text)
    before = "".join(s.text for s in sections[:index])
    after = "".join(s.text for s in sections[index + 1 :])
    if before and not before.endswith("\n"):
        before += "\n"
    if new:
        new += "\n\n" if after else "\n"
    joined = before + new + after
    if not new:
        return joined, None
    offset = len(split_sections(before))
    found = split_sections(joined)
    if offset and not split_sections(new)[0].heading:  # no heading: it joins the part before
        return joined, found[offset - 1].key
    return joined, found[offset].key


def get_section(consultation: Consultation, key: str) -> Section:
    """A section of the working text (`publishing.working_text`). Raises NotFound."""
    found = find_section(publishing.working_text(consultation), key)
    if found is None:
        raise NotFound(_("Cette partie n'existe pas, ou plus, dans le texte de la synthèse."))
    return found


def save_section(
    actor: User,
    consultation: Consultation,
    key: str,
    text: object,
    loaded_fingerprint: object,
    *,
    now: datetime | None = None,
) -> str | None:
    """Replace the section `key` of the working text by `text` and save the whole text;
    returns the key of the saved section (its heading may have changed; None once removed).

    Raises NotAllowed (not staff of the institution), InvalidState (the consultation is not
    published), SectionChanged (the section changed since it was loaded: `loaded_fingerprint`),
    ValidationFailed (`text` not a text, or the whole text too long: field `text`)."""
    publishing.check_can_write(actor, consultation)
    if not isinstance(text, str):
        raise ValidationFailed(fields={"text": _("Texte attendu.")})
    if not isinstance(loaded_fingerprint, str) or not loaded_fingerprint:
        raise ValidationFailed(
            fields={
                "fingerprint": _("L'empreinte de la partie, telle qu'elle a été lue, est attendue.")
            }
        )
    # One save at a time per consultation: the working text's row is the lock.
    db.session.scalar(
        sa.select(Synthesis).where(Synthesis.consultation_id == consultation.id).with_for_update()
    )
    body, new_key = replace_section(
        publishing.working_text(consultation), key, text, loaded_fingerprint
    )
    try:
        publishing.save_synthesis(actor, consultation, body=body, now=now)
    except ValidationFailed as error:
        raise ValidationFailed(fields={"text": error.fields.get("body", error.message)}) from None
    logger.info(
        "synthesis section saved: consultation=%s section=%s by user=%s",
        consultation.id,
        key,
        actor.id,
    )
    return new_key
