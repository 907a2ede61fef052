"""The consulted text: versions, divisions, articles and their paragraphs (alinéas)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultation.core.db import UTCDateTime, VoteCounters, utcnow
from consultation.extensions import Model


class TextVersion(Model):
    """One version of the consulted text. Frozen once the consultation is published."""

    __tablename__ = "text_versions"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    source: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    preamble: Mapped[list] = mapped_column(sa.JSON, default=list)
    closing: Mapped[list] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    consultation = relationship("Consultation", back_populates="versions")
    divisions: Mapped[list[Division]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Division.position"
    )
    articles: Mapped[list[Article]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Article.position"
    )


class Division(Model):
    """A titre, chapitre, section… grouping articles."""

    __tablename__ = "divisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("text_versions.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("divisions.id", ondelete="CASCADE"))
    position: Mapped[int]
    depth: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(sa.String(20))
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    title: Mapped[str] = mapped_column(sa.Text, default="")
    intro: Mapped[list] = mapped_column(sa.JSON, default=list)

    version: Mapped[TextVersion] = relationship(back_populates="divisions")
    parent: Mapped[Division | None] = relationship(remote_side=[id])

    @property
    def heading(self) -> str:
        return " – ".join(part for part in (self.label, self.title) if part)


class Article(VoteCounters, Model):
    """An article of the consulted text. `slug` is its address: /articles/<slug>.

    It keeps the counters of the opinions cast on it and of the contributions attached to it,
    so that the consultation page reads them with the text.
    """

    __tablename__ = "articles"
    __table_args__ = (sa.UniqueConstraint("version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("text_versions.id", ondelete="CASCADE"), index=True
    )
    division_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("divisions.id", ondelete="SET NULL")
    )
    position: Mapped[int]
    number: Mapped[str] = mapped_column(sa.String(50))
    slug: Mapped[str] = mapped_column(sa.String(60))
    label: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.Text, default="")
    # Contributions attached to the article, withdrawn ones included (the record keeps them).
    contributions_count: Mapped[int] = mapped_column(default=0, server_default="0")

    version: Mapped[TextVersion] = relationship(back_populates="articles")
    division: Mapped[Division | None] = relationship()
    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Paragraph.number"
    )

    @property
    def heading(self) -> str:
        return " – ".join(part for part in (self.label, self.title) if part)

    def consulted_wording(self, paragraph: int | None = None) -> str:
        """The consulted wording an amendment starts from and is compared with: the text of
        alinéa `paragraph`, or of the whole article (its alinéas, one per line) when None.
        An alinéa the article does not have gives ""."""
        texts = {p.number: p.text for p in self.paragraphs}
        if paragraph is None:
            return "\n".join(texts.values())
        return texts.get(paragraph, "")


class Paragraph(Model):
    """An alinéa, numbered from 1 within its article."""

    __tablename__ = "paragraphs"
    __table_args__ = (sa.UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)

    article: Mapped[Article] = relationship(back_populates="paragraphs")
