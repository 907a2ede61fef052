"""The kinds of contribution, as one table of specs: what each asks for, how it is labelled, how
the form, the services, the synthesis and the exports treat it.

Everything that depends on a contribution's kind reads its spec (`spec_of`) or iterates the table
(`specs()`), instead of comparing kinds: adding a kind is adding a spec (and a member to
`models.ContributionKind`, which stores it). The table is keyed by the stored value, a string, so
that the synthesis, the charts and the exports, which read plain rows, look a kind up as they
find it, and so that a test can register a kind the database does not know. There is no default:
an unknown kind raises `UnknownKind`, and `models` checks at import that every `ContributionKind`
member has its spec (`require_specs`).

Labels are French sources marked with `N_` (read in the reader's language through
`ContributionKind.label`, kept in French by `label_fr` for certified outputs, as
`core.i18n` explains); the form's legends and the alinéa links are lazy (`_l`); `nouns` and
the synthesis' headings are the French of the drafted synthesis, which is written in French.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from consultation.core.i18n import N_, LazyString, _l


class UnknownKind(LookupError):
    """A kind of contribution without a spec: a programming error, never a participant's."""


@dataclass(frozen=True)
class ArticleSection:
    """A list of the drafted synthesis' summary of an article: its most supported public
    contributions of one kind (and one position, when the kind takes one)."""

    key: str  # its key in the draft's data (`articles[].<key>`)
    heading: str  # N_: its heading (French in the drafted text, translated on the draft's page)
    rank: int  # its place among the article's lists, the controversial ones coming last
    position: str | None = None  # only contributions of this position (`Position.value`)


@dataclass(frozen=True)
class ParagraphAction:
    """A link beside each alinéa of an article page, opening the form on a kind."""

    label: LazyString
    rank: int  # its place among the alinéa's links


@dataclass(frozen=True)
class KindSpec:
    """One kind of contribution. The flags say which fields it has and which rules apply
    (`participation.contributions._clean_contribution` checks them)."""

    value: str  # as stored, in the API, the exports and the addresses (`?type=`)
    label: str  # N_: its name, e.g. on a contribution's card
    nouns: tuple[str, str]  # French singular and plural, counted in the drafted synthesis
    # The contribution form: the legend of the fieldset of its own fields (`form_fields`), and
    # the link beside each alinéa of an article page that opens the form on this kind.
    legend: LazyString | None = None
    paragraph_action: ParagraphAction | None = None
    # Rules and fields.
    takes_position: bool = False  # for or against the article: required
    article_required: str | None = None  # N_: the error when it names no article
    title_required: str | None = None  # N_: the error when it has no title
    # The proposed wording (`proposed_text`): required when the kind has one, typed in this
    # field of the contribution form; None: no wording.
    wording_field: str | None = None
    # Its wording replaces the consulted one (the article's or the alinéa's): prefilled, shown
    # as a diff, refused when unchanged, and what "nothing changed" points at on an edit.
    amends_wording: bool = False
    # Its wording is a new article: proposed for an article the adopted text adds.
    adds_article: bool = False
    has_url: bool = False  # a web address, required
    is_reply: bool = False  # the kind of a reply (replies are one level deep)
    # How the drafted synthesis ranks it on each article (none: counted, analysed in the
    # campaigns and themes, voted on in the opinion groups, like every kind, but not listed).
    article_sections: tuple[ArticleSection, ...] = ()

    @property
    def has_wording(self) -> bool:
        return self.wording_field is not None

    @property
    def label_fr(self) -> str:
        return self.label

    @property
    def form_fields(self) -> tuple[str, ...]:
        """The fields of the contribution form only this kind has (its fieldset)."""
        return tuple(
            name
            for name, present in (
                ("position", self.takes_position),
                (self.wording_field or "", self.has_wording),
                ("url", self.has_url),
            )
            if present
        )

    @property
    def edit_fields(self) -> tuple[str, ...]:
        """What its author may change besides the body, in the order of the edit form."""
        return tuple(
            name
            for name, present in (
                ("position", self.takes_position),
                ("title", True),
                ("proposed_text", self.has_wording),
                ("url", self.has_url),
            )
            if present
        )


_ON_ARTICLE = N_("Indiquez l'article concerné.")

KINDS: dict[str, KindSpec] = {
    spec.value: spec
    for spec in (
        KindSpec(
            "argument",
            N_("Argument"),
            ("argument", "arguments"),
            legend=_l("Pour un argument"),
            takes_position=True,
            article_required=N_("Un argument porte sur un article."),
            article_sections=(
                ArticleSection("arguments_for", N_("Arguments pour les plus soutenus"), 1, "for"),
                ArticleSection(
                    "arguments_against", N_("Arguments contre les plus soutenus"), 2, "against"
                ),
            ),
        ),
        KindSpec(
            "amendment",
            N_("Proposition de rédaction"),
            ("proposition de rédaction", "propositions de rédaction"),
            legend=_l("Pour une proposition de rédaction"),
            paragraph_action=ParagraphAction(_l("Proposer une rédaction"), 1),
            article_required=_ON_ARTICLE,
            wording_field="proposed_text",
            amends_wording=True,
            article_sections=(
                ArticleSection("amendments", N_("Propositions de rédaction les plus soutenues"), 0),
            ),
        ),
        KindSpec(
            "new_article",
            N_("Proposition d'article nouveau"),
            ("proposition d'article nouveau", "propositions d'articles nouveaux"),
            legend=_l("Pour une proposition d'article nouveau"),
            article_required=_ON_ARTICLE,
            wording_field="new_article_text",
            adds_article=True,
        ),
        KindSpec(
            "source",
            N_("Source"),
            ("source", "sources"),
            legend=_l("Pour une source"),
            title_required=N_("Donnez un titre à la source."),
            has_url=True,
        ),
        KindSpec(
            "comment",
            N_("Commentaire"),
            ("commentaire", "commentaires"),
            paragraph_action=ParagraphAction(_l("Commenter cet alinéa"), 0),
            is_reply=True,
        ),
    )
}


def spec_of(kind: object) -> KindSpec:
    """The spec of a kind, given as a `ContributionKind` or its stored value. Raises
    UnknownKind: there is no default kind."""
    value = kind.value if isinstance(kind, Enum) else kind
    spec = KINDS.get(value) if isinstance(value, str) else None
    if spec is None:
        raise UnknownKind(f"no spec for the contribution kind {value!r}")
    return spec


def specs() -> list[KindSpec]:
    """Every kind, in the order they are offered and counted."""
    return list(KINDS.values())


def require_specs(values: Iterable[str]) -> None:
    """Raise UnknownKind, at import, unless every one of `values` (the stored kinds) has a spec."""
    missing = [value for value in values if value not in KINDS]
    if missing:
        raise UnknownKind(f"no spec for the contribution kinds {missing!r} (participation.kinds)")


def article_sections() -> list[tuple[KindSpec, ArticleSection]]:
    """The lists of the synthesis' summary of an article, in their order, with their kind."""
    sections = [(spec, section) for spec in KINDS.values() for section in spec.article_sections]
    return sorted(sections, key=lambda pair: pair[1].rank)


def paragraph_actions() -> list[tuple[str, LazyString]]:
    """The links beside each alinéa, in their order: (kind, label)."""
    actions = [(spec, spec.paragraph_action) for spec in KINDS.values() if spec.paragraph_action]
    return [(spec.value, action.label) for spec, action in sorted(actions, key=lambda a: a[1].rank)]


def in_words() -> str:
    """The stored values, as a French list ("argument, amendment… ou comment")."""
    values = list(KINDS)
    return f"{', '.join(values[:-1])} ou {values[-1]}" if len(values) > 1 else values[0]
