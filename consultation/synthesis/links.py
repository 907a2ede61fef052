"""Links to contributions in the synthesis, and the short tokens that stand for them.

The synthesis text names a contribution by a token, its tracking number between double
brackets: `[[C-7KQ2-M9XD-4HTR]]` (`participation.contributions.new_tracking_number`). The text
keeps the token; wherever it is shown — the public page and its versions, the PDF, the draft
page, the editor's preview — `render` makes it a link to the contribution's public page that
says what it is: its title or opening words (`draft_markdown.link_text`), then its tracking
number. A contribution withdrawn or hidden since keeps its link (its page shows the public
notice) but not its words. A token in code (`` `[[C-…]]` ``, an indented or fenced block) stays
as written; a token that names no contribution of the consultation is shown as plain text and
reported (`Rendered.unknown`), so that the editor can warn. All the tokens of a text are looked
up in one query. A text written before the tokens, with full Markdown links, renders as it did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.core.sanitize import Markup, render_markdown, text_link
from consultation.extensions import db
from consultation.participation.models import Contribution
from consultation.synthesis.draft_markdown import Links, link_text

# A tracking number between double brackets; letters in either case, read in capitals.
TOKEN = re.compile(r"\[\[(C-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\]\]", re.IGNORECASE)
OPENING_CHARS = 400  # of a contribution's text, read for its opening words


def token(tracking_number: str) -> str:
    """The token that stands for the contribution `tracking_number` in a synthesis text."""
    return f"[[{tracking_number}]]"


@dataclass(frozen=True)
class ContributionLink:
    """A link to a contribution that says what it is: its opening words (none once it is
    withdrawn or hidden), then its tracking number."""

    id: int
    words: str
    number: str

    @property
    def text(self) -> str:
        """« Opening words (C-…) », or the tracking number alone without words."""
        return f"{self.words} ({self.number})" if self.words else self.number


def contribution_links(
    consultation_id: int,
    *,
    ids: Iterable[int] = (),
    numbers: Iterable[str] = (),
) -> list[ContributionLink]:
    """The links to the contributions of `consultation_id` among `ids` or `numbers` (tracking
    numbers), in one query; a contribution of another consultation is never among them."""
    ids, numbers = set(ids), set(numbers)
    if not ids and not numbers:
        return []
    wanted = []
    if ids:
        wanted.append(Contribution.id.in_(ids))
    if numbers:
        wanted.append(Contribution.tracking_number.in_(numbers))
    rows = db.session.execute(
        sa.select(
            Contribution.id,
            Contribution.title,
            sa.func.substr(Contribution.body, 1, OPENING_CHARS),
            Contribution.tracking_number,
            Contribution.is_public,
        ).where(Contribution.consultation_id == consultation_id, sa.or_(*wanted))
    )
    return [
        ContributionLink(row_id, link_text(title, body) if is_public else "", number)
        for row_id, title, body, number, is_public in rows
    ]


@dataclass
class TokenLinks:
    """The links of one text's tokens (looked up once, see `for_text`), as the sanitiser's
    `text_links`: each token of the running text becomes a link, or plain text (the tracking
    number) when it names no contribution of the consultation — then listed in `unknown`."""

    slug: str
    found: dict[str, ContributionLink]
    unknown: list[str] = field(default_factory=list)

    @classmethod
    def for_text(cls, consultation: Consultation, *texts: str) -> TokenLinks:
        numbers = {m.group(1).upper() for text in texts for m in TOKEN.finditer(text or "")}
        links = contribution_links(consultation.id, numbers=numbers)
        return cls(consultation.slug, {link.number: link for link in links})

    def __call__(self, text: str) -> Iterator[str]:
        paths = Links(self.slug, {})
        position = 0
        for match in TOKEN.finditer(text):
            yield text[position : match.start()]
            number = match.group(1).upper()
            link = self.found.get(number)
            if link is None:
                if number not in self.unknown:
                    self.unknown.append(number)
                yield number
            else:
                yield text_link(paths.contribution(link.id), link.text)
            position = match.end()
        yield text[position:]


@dataclass(frozen=True)
class Rendered:
    """A synthesis text rendered: its sanitised HTML, and the tokens that name no contribution
    of the consultation (tracking numbers, in the order of the text)."""

    html: Markup
    unknown: list[str]


def render(text: str, consultation: Consultation) -> Rendered:
    """`text` (Markdown with tokens) as sanitised HTML, its tokens made links."""
    links = TokenLinks.for_text(consultation, text)
    html = render_markdown(text, links)
    return Rendered(html, links.unknown)


def unknown_tokens(text: str, consultation: Consultation) -> list[str]:
    """The tokens of `text` (outside code) that name no contribution of `consultation`."""
    return render(text, consultation).unknown
