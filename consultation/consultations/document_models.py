"""The consultation's documents: exposé des motifs, étude d'impact, avis, annexes (SPEC §1, 3).

A document is one file at one version. Its `number` names it within the consultation
(« Document 2 »); an erratum after publication is a new row with the same number and the next
`version`, `replaces_id` pointing at the version it corrects, and a required note. The file
itself is in the storage (`core.storage`) under `file_key`; the row keeps what the record
certifies: title, kind, articles, size, SHA-256, version.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.core.db import UTCDateTime, enum_column, utcnow
from consultation.core.i18n import N_, LazyString, lazy
from consultation.core.uploads import size_label
from consultation.extensions import Model


class DocumentKind(enum.Enum):
    explanatory_memorandum = "explanatory_memorandum"
    impact_study = "impact_study"
    opinion = "opinion"
    annex = "annex"
    other = "other"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(DOCUMENT_KIND_LABELS[self])

    @property
    def label_fr(self) -> str:
        """The French source, for machine-read outputs."""
        return DOCUMENT_KIND_LABELS[self]


DOCUMENT_KIND_LABELS = {
    DocumentKind.explanatory_memorandum: N_("Exposé des motifs"),
    DocumentKind.impact_study: N_("Étude d'impact"),
    DocumentKind.opinion: N_("Avis"),
    DocumentKind.annex: N_("Annexe"),
    DocumentKind.other: N_("Autre document"),
}


class ConsultationDocument(Model):
    """One version of one document attached to a consultation's text."""

    __tablename__ = "consultation_documents"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "number", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, 32))
    # The numbers of the articles it concerns (« Étude d'impact — article 3 »), in text order.
    articles: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    file_key: Mapped[str] = mapped_column(sa.String(200))
    filename: Mapped[str] = mapped_column(sa.String(255))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultation_documents.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(sa.Text)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(sa.Text)

    consultation = relationship("Consultation")
    added_by = relationship("User")
    replaces: Mapped[ConsultationDocument | None] = relationship(remote_side=[id])

    @property
    def size_label(self) -> str:
        """Its size as people read it (« 1,2 Mo »), in the reader's language."""
        return size_label(self.size)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def __repr__(self) -> str:
        return f"<ConsultationDocument {self.number}.{self.version} {self.title!r}>"

    def certified(self) -> dict[str, Any]:
        """What the record certifies of this version (`ledger.facts`)."""
        return {
            "number": self.number,
            "version": self.version,
            "title": self.title,
            "kind": self.kind.value,
            "articles": list(self.articles or []),
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
        }
