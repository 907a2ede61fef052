"""The drafted synthesis as French Markdown, written from the draft's structured data.

Moderators edit this text, then publish it: it reads as a report (a part per heading,
sentences with their figures), and every statement links to what is behind it — the
contributions quoted or counted (their tokens `[[C-…]]`, the first `LINKED` of a long list and
"et N autres"), the filtered list of contributions, an article's page, the moderation figures.
A contribution's token becomes, where the text is shown, a link that says what it is: its title
or opening words, then its tracking number (`synthesis.links`).

The working notes (what the draft does not say, the method's caveats) are not part of the text:
`notes` writes them apart, for the staff who edit it; they are never published.
Participants' words are quoted as written, escaped so that Markdown never reads them as
markup; the whole text still goes through `render_markdown` (sanitised) wherever it is shown.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal

from consultation.accounts.models import ORGANISATION_CATEGORY_LABELS, OrganisationCategory
from consultation.core import clock
from consultation.core.charter import REASON_LABELS, ModerationReason
from consultation.core.i18n import N_
from consultation.core.text import squash
from consultation.participation.kinds import article_sections, spec_of
from consultation.participation.models import OfflineChannel

LINKED = 8  # contributions linked by name in a list; the rest are counted
PART_LINKED = 3  # contributions linked per proposal of a theme or an article
CAMPAIGNS_IN_TEXT = 10  # the largest campaigns are described; the others are counted
EXCERPT_LENGTH = 280  # a contribution, quoted
QUOTE_LENGTH = 600  # a campaign's text, quoted
ADDITION_LENGTH = 280  # what a person added to a campaign, quoted
METHOD_PATH = "/synthese/methode"

# The last list of an article's summary; the others are the kinds' (`KindSpec.article_sections`).
CONTROVERSIAL_HEADING = N_("Contributions qui partagent le plus les votants")
# What the contributions do (`analysis.statements.KINDS`), counted: French singular and plural.
STATEMENT_NOUNS = {
    "proposal": ("proposition", "propositions"),
    "problem": ("problème décrit", "problèmes décrits"),
    "experience": ("témoignage", "témoignages"),
    "opposition": ("opposition", "oppositions"),
    "question": ("question", "questions"),
}
CHANNEL_PHRASES = {
    OfflineChannel.letter: "par courrier",
    OfflineChannel.email: "par courrier électronique",
    OfflineChannel.register: "sur un registre",
}


# --- Formatting ----------------------------------------------------------------------------------


def number(value: int | float) -> str:
    return format_decimal(value, locale="fr_FR")


def plural(count: int, singular: str, plural_form: str) -> str:
    return f"{number(count)} {singular if count < 2 else plural_form}"


def percent(part: int, total: int) -> str:
    """A count's share of a total, rounded as the charts' tables round it."""
    return f"{round(100 * part / total) if total else 0}\u00a0%"


def share(fraction: float) -> str:
    """A fraction (an agree share) in percent, rounded as the data tables round it."""
    return f"{round(100 * fraction)}\u00a0%"


def day(value: date | datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = clock.to_paris(value).date()
    return format_date(value, "d MMMM y", locale="fr")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+[.)])")


def escape(text: str) -> str:
    """Participants' words as literal Markdown text, on one line."""
    flat = " ".join((text or "").split())
    flat = _MARKDOWN_SPECIAL.sub(r"\\\1", flat).replace("<", "&lt;")
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), flat)


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a text on one line, cut at a word, with an ellipsis when cut."""
    flat = squash(text)
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0] or flat[:length]
    return cut.rstrip(" ,;:.") + "…"


def quote(text: str) -> str:
    return f"« {escape(text)} »"


LINK_WORDS = 8  # a contribution's link text: its title or opening words, up to this many


def link_text(title: str | None, body: str | None, words: int = LINK_WORDS) -> str:
    """What a link to a contribution says before its tracking number: its title, or else its
    opening words, on one line, at most `words` words (an ellipsis when cut)."""
    flat = squash(title or "") or squash(body or "")
    cut = flat.split(" ")
    if len(cut) <= words:
        return flat
    return " ".join(cut[:words]).rstrip(" ,;:.") + "…"


class Links:
    """Paths of the public pages a statement links to, and what a contribution's link says:
    `references` its tracking number, `titles` its title or opening words (`link_text`)."""

    def __init__(self, slug: str, references: dict[str, str], titles: dict[str, str] | None = None):
        self.slug = slug
        self.references = references
        self.titles = titles or {}

    @property
    def consultation(self) -> str:
        return f"/consultations/{self.slug}"

    def contributions(self, **filters: str) -> str:
        query = "&".join(f"{key}={value}" for key, value in filters.items())
        return f"/consultations/{self.slug}/contributions" + (f"?{query}" if query else "")

    def contribution(self, contribution_id: int) -> str:
        return f"/consultations/{self.slug}/contributions/{contribution_id}"

    def article(self, article_slug: str) -> str:
        return f"/consultations/{self.slug}/articles/{article_slug}"

    @property
    def moderation(self) -> str:
        return f"/consultations/{self.slug}/moderation"

    def name(self, contribution_id: int) -> str:
        """« Opening words (C-…) », or the tracking number alone when the words are unknown."""
        number = self.references.get(str(contribution_id)) or f"n° {contribution_id}"
        words = self.titles.get(str(contribution_id))
        return f"{escape(words)} ({number})" if words else number

    def cite(self, contribution_id: int) -> str:
        """The contribution's token, `[[C-…]]`, which becomes a link saying what it is wherever
        the text is shown (`synthesis.links`); a link by its id when its number is unknown."""
        number = self.references.get(str(contribution_id))
        if number:
            return f"[[{number}]]"
        return f"[{self.name(contribution_id)}]({self.contribution(contribution_id)})"

    def cite_many(self, ids: list[int], limit: int = LINKED, total: int | None = None) -> str:
        """The first `limit` contributions linked, and how many more (of `total` when `ids` is
        only the start of the list)."""
        shown = ", ".join(self.cite(i) for i in ids[:limit])
        rest = (len(ids) if total is None else total) - min(limit, len(ids))
        return f"{shown} et {plural(rest, 'autre', 'autres')}" if rest > 0 else shown


# --- The text ------------------------------------------------------------------------------------


def write(subject, data: dict) -> str:
    """The whole draft. `subject` has the consultation's slug and title; `data` is the draft's
    structured data (see `draft.build_draft`)."""
    links = Links(subject.slug, data.get("references", {}), data.get("titles", {}))
    parts = [
        _introduction(data, links),
        _participation(data["figures"], data["consultation"], links),
        _articles(
            data["articles"],
            links,
            data.get("themes") or [],
            (data.get("proposals") or {}).get("groups") or [],
        ),
        _campaigns(data["campaigns"], links),
        _frequent_and_empty(data.get("frequent_answers", []), data.get("non_answers"), links),
        _proposals(data.get("proposals"), links),
        _themes(
            data["themes"],
            links,
            (data.get("proposals") or {}).get("groups") or [],
            data.get("articles") or [],
        ),
        _opinions(data["opinion_groups"], links),
    ]
    return "\n\n".join(part.strip() for part in parts if part.strip()) + "\n"


# The working notes' section that drafts before the notes were kept apart wrote into the text.
LIMITS_HEADING = "Ce que ce brouillon ne dit pas"


def notes(data: dict) -> list[dict[str, str]]:
    """The draft's working notes, for the staff who edit the text, never published: each a
    `{"title", "markdown"}` (French)."""
    return [{"title": LIMITS_HEADING, "markdown": _limits()}]


def without_limits_section(text: str) -> str:
    """`text` without the `## Ce que ce brouillon ne dit pas` section (its heading to the next
    `## ` heading or the end) that earlier drafts wrote into the text; unchanged without it."""
    pattern = re.compile(
        rf"^## {re.escape(LIMITS_HEADING)}[ \t]*\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL
    )
    stripped = pattern.sub("", text)
    return stripped if stripped == text else stripped.rstrip() + "\n"


# The draft's opening warning: publication is refused while the text still carries it.
DRAFT_WARNING = "Il est à relire, corriger et compléter avant publication"


def _introduction(data: dict, links: Links) -> str:
    return (
        f"*Brouillon calculé le {day(data['generated_at'])} à partir des données de la "
        f"consultation « {escape(data['consultation']['title'])} ». {DRAFT_WARNING} : chaque "
        f"constat renvoie aux contributions dont il est tiré. "
        f"[Comment ce brouillon est calculé]({METHOD_PATH}).*"
    )


def _participation(figures: dict, consultation: dict, links: Links) -> str:
    contributions = figures["contributions"]
    votes = figures["votes"]
    lines = ["## La participation", ""]
    period = ""
    if consultation.get("opens_at") and consultation.get("closes_at"):
        period = f"Du {day(consultation['opens_at'])} au {day(consultation['closes_at'])}, "
    lines.append(
        f"{period}**{plural(figures['participants'], 'personne a', 'personnes ont')} participé** "
        f"à [la consultation]({links.consultation}), en votant ou en contribuant."
    )
    lines.append("")
    kinds = [
        f"[{plural(n, *spec_of(kind).nouns)}]({links.contributions(type=kind)})"
        for kind, n in contributions["by_kind"].items()
        if n
    ]
    sentence = (
        f"- [{plural(contributions['total'], 'contribution', 'contributions')}]"
        f"({links.contributions()}) "
        f"{'a été déposée' if contributions['total'] < 2 else 'ont été déposées'} par "
        f"{plural(figures['contributors'], 'participant', 'participants')}"
    )
    among = []
    if contributions["replies"]:
        among.append(
            f"{plural(contributions['replies'], 'réponse', 'réponses')} à d'autres contributions"
        )
    # Drafts computed before position papers have no count: nothing said.
    if contributions.get("with_paper"):
        among.append(
            f"{number(contributions['with_paper'])} avec une contribution écrite jointe (PDF)"
        )
    if among:
        sentence += ", dont " + " et ".join(among)
    lines.append(sentence + (f" : {', '.join(kinds)}." if kinds else "."))
    lines.append(
        f"- [{plural(votes['total'], 'vote', 'votes')}]({links.consultation}) : "
        f"{number(votes['articles'])} sur les articles du texte, "
        f"{number(votes['contributions'])} sur les contributions."
    )
    lines.append(_profiles(figures, links))
    offline = figures["offline"]
    if offline["total"]:
        channels = ", ".join(
            f"{number(n)} {CHANNEL_PHRASES[OfflineChannel(channel)]}"
            for channel, n in offline["by_channel"].items()
            if n
        )
        lines.append(
            f"- [{plural(offline['total'], 'observation reçue', 'observations reçues')} hors "
            f"ligne]({links.contributions(auteur='offline')}) ({channels}) "
            f"{'est comptée' if offline['total'] < 2 else 'sont comptées'} comme les autres."
        )
    moderated = figures["moderated"]
    if moderated["total"]:
        reasons = ", ".join(
            f"{REASON_LABELS[ModerationReason(reason)].lower()} : {number(n)}"
            for reason, n in moderated["by_reason"].items()
            if n
        )
        lines.append(
            f"- [{plural(moderated['total'], 'contribution a été masquée', 'contributions ont été masquées')} "
            f"par la modération]({links.moderation}) ({reasons}) ; "
            + (
                "elle reste comptée, son texte n'est ni analysé ni cité."
                if moderated["total"] < 2
                else "elles restent comptées, leur texte n'est ni analysé ni cité."
            )
        )
    if figures["withdrawn"]:
        lines.append(
            f"- {plural(figures['withdrawn'], 'contribution a été retirée', 'contributions ont été retirées')} "
            f"par {'son auteur' if figures['withdrawn'] < 2 else 'leurs auteurs'} "
            f"([toutes les contributions]({links.contributions()}))."
        )
    busiest = _busiest_days(figures["per_day"], links)
    if busiest:
        lines.append(busiest)
    return "\n".join(lines)


def peak_day(per_day: list[dict], key: str) -> dict | None:
    """The day with the most `key` ("contributions" or "votes"), the earliest of equal days as
    in the chart of that figure; None when there is none at all."""
    best = None
    for entry in per_day:
        if entry[key] and (best is None or entry[key] > best[key]):
            best = entry
    return best


def _busiest_days(per_day: list[dict], links: Links) -> str:
    """The day with the most contributions and the day with the most votes, each with its own
    count: one day when they are the same, nothing of a figure that is zero throughout."""
    contributions, votes = peak_day(per_day, "contributions"), peak_day(per_day, "votes")
    recent = f"[contributions les plus récentes]({links.contributions(ordre='recent')})"
    if contributions and votes and contributions["date"] == votes["date"]:
        return (
            f"- Jour le plus actif, en contributions comme en votes : le "
            f"{day(contributions['date'])}, avec "
            f"{plural(contributions['contributions'], 'contribution', 'contributions')} et "
            f"{plural(votes['votes'], 'vote', 'votes')} ({recent})."
        )
    parts = []
    if contributions:
        parts.append(
            f"en contributions, le {day(contributions['date'])}, avec "
            f"{plural(contributions['contributions'], 'contribution', 'contributions')} "
            f"({recent})"
        )
    if votes:
        parts.append(
            f"en votes, le {day(votes['date'])}, avec {plural(votes['votes'], 'vote', 'votes')}"
        )
    return f"- Jour le plus actif : {' ; '.join(parts)}." if parts else ""


def _profiles(figures: dict, links: Links) -> str:
    by_type = figures["participants_by_type"]
    organisations = by_type.get("organisation", 0)
    sentence = (
        f"- Parmi les participants, [{plural(by_type.get('individual', 0), 'particulier', 'particuliers')}]"
        f"({links.contributions(auteur='individual')}) et "
        f"[{plural(organisations, 'organisation', 'organisations')}]"
        f"({links.contributions(auteur='organisation')})"
    )
    categories = [
        f"{ORGANISATION_CATEGORY_LABELS[OrganisationCategory(category)]} : {number(n)}"
        for category, n in figures["organisations_by_category"].items()
        if n
    ]
    return sentence + (f" ({' ; '.join(categories)})." if categories else ".")


def _vote_phrase(votes: dict) -> str:
    total = votes["agree"] + votes["mixed"] + votes["disagree"]
    return (
        f"{number(votes['agree'])} d'accord ({percent(votes['agree'], total)}), "
        f"{plural(votes['mixed'], 'mitigé', 'mitigés')} ({percent(votes['mixed'], total)}), "
        f"{number(votes['disagree'])} pas d'accord ({percent(votes['disagree'], total)})"
    )


def _articles(
    articles: list[dict], links: Links, themes: list[dict] | None = None, groups: list | None = None
) -> str:
    if not articles:
        return ""
    lines = ["## Les articles"]
    quiet = []
    for article in articles:
        total = sum(article["votes"].values())
        if not total and not article["contributions_count"]:
            quiet.append(f"[{escape(article['label'])}]({links.article(article['slug'])})")
            continue
        heading = escape(article["label"]) + (
            f" — {escape(article['title'])}" if article.get("title") else ""
        )
        lines += ["", f"### {heading}", ""]
        # Never « Aucun avis » here: the article has votes or contributions (or both).
        opinions = (
            f"{plural(total, 'avis', 'avis')} : {_vote_phrase(article['votes'])}"
            if total
            else "Aucun vote sur l'article"
        )
        by_kind = [
            plural(n, *spec_of(kind).nouns) for kind, n in (article.get("by_kind") or {}).items()
        ]
        lines.append(
            f"{opinions} ; [{plural(article['contributions_count'], 'contribution', 'contributions')}]"
            f"({links.article(article['slug'])})"
            + (f" : {', '.join(by_kind)}." if by_kind else ".")
        )
        lines += _article_reading(article, themes or [], groups or [], links)
        for key, title in article_lists():
            if article[key]:
                lines += ["", f"{title} :", ""]
                lines += [_item_line(item, links, key == "controversial") for item in article[key]]
    if quiet:
        lines += ["", f"Sans avis ni contribution : {', '.join(quiet)}."]
    return "\n".join(lines)


def article_lists() -> list[tuple[str, str]]:
    """The lists of an article's summary, `(key in the draft's data, French heading)`, in order:
    the kinds' most supported (`KindSpec.article_sections`), then the most debated."""
    return [(section.key, section.heading) for _spec, section in article_sections()] + [
        ("controversial", CONTROVERSIAL_HEADING)
    ]


def _item_line(item: dict, links: Links, controversial: bool) -> str:
    votes = item["votes"]
    line = (
        f"- {links.cite(item['id'])} {quote(item['excerpt'])} — "
        f"{number(votes['agree'])} d'accord, {plural(votes['mixed'], 'mitigé', 'mitigés')}, "
        f"{number(votes['disagree'])} pas d'accord"
    )
    if controversial:
        line += f" (indice de controverse {format_decimal(item['score'], '0.00', locale='fr_FR')})"
    return line + "."


def _campaigns(campaigns: list[dict], links: Links) -> str:
    lines = ["## Les campagnes", ""]
    if not campaigns:
        lines.append(
            "Aucune campagne n'a été repérée : aucun texte n'a été envoyé à l'identique ou "
            f"presque par au moins trois personnes ([méthode]({METHOD_PATH}#campagnes))."
        )
        return "\n".join(lines)
    members = sum(c["count"] for c in campaigns)
    lines.append(
        f"{plural(len(campaigns), 'texte a été envoyé', 'textes ont été envoyés')} à l'identique "
        f"ou presque par plusieurs personnes : {plural(len(campaigns), 'campagne', 'campagnes')} "
        f"regroupant {plural(members, 'contribution', 'contributions')}. Chacune reste comptée ; ce que "
        f"chaque personne a ajouté au texte commun est relevé ci-dessous et reste à lire "
        f"([méthode]({METHOD_PATH}#campagnes))."
    )
    for index, campaign in enumerate(campaigns[:CAMPAIGNS_IN_TEXT], start=1):
        modified = campaign["count"] - campaign["exact"]
        lines += [
            "",
            f"### Campagne {index} : {plural(campaign['count'], 'contribution', 'contributions')}",
            "",
            f"> {escape(excerpt(campaign['representative'], QUOTE_LENGTH))}",
            "",
            f"Texte de référence : {links.cite(campaign['representative_id'])}. "
            f"{plural(campaign['exact'], 'copie identique', 'copies identiques')} "
            f"(à la casse, aux accents et à la ponctuation près), "
            f"{plural(modified, 'version modifiée', 'versions modifiées')}. "
            f"Contributions : {links.cite_many(campaign['contribution_ids'])}.",
        ]
        additions = campaign["additions"]
        if additions:
            lines += [
                "",
                f"{plural(len(additions), 'personne a', 'personnes ont')} ajouté un texte "
                "personnel :",
                "",
            ]
            lines += [
                f"- {links.cite(a['id'])} : {quote(excerpt(a['text'], ADDITION_LENGTH))}"
                for a in additions[:LINKED]
            ]
            if len(additions) > LINKED:
                lines.append(
                    f"- et {plural(len(additions) - LINKED, 'autre ajout', 'autres ajouts')}, "
                    "à lire dans les contributions de la campagne."
                )
    rest = campaigns[CAMPAIGNS_IN_TEXT:]
    if rest:
        sizes = sorted(c["count"] for c in rest)
        lines += [
            "",
            f"{plural(len(rest), 'autre campagne', 'autres campagnes')}, de "
            f"{number(sizes[0])} à {number(sizes[-1])} contributions chacune, "
            f"{'regroupe' if len(rest) < 2 else 'regroupent'} "
            f"{plural(sum(sizes), 'contribution', 'contributions')} ; "
            f"{'elle est listée' if len(rest) < 2 else 'elles sont listées'} dans les données "
            f"du brouillon, avec leur texte de référence : "
            f"{links.cite_many([c['representative_id'] for c in rest])}.",
        ]
    return "\n".join(lines)


def _frequent_and_empty(frequent: list[dict], non_answers: dict | None, links: Links) -> str:
    """Short answers many people gave (not campaigns) and the contributions without content."""
    lines = []
    if frequent:
        lines += [
            "Réponses fréquentes, trop courtes pour être des campagnes : "
            + " ; ".join(
                f"{quote(group['text'])} ×{number(group['count'])} "
                f"({links.cite_many(group['contribution_ids'], limit=3)})"
                for group in frequent[:CAMPAIGNS_IN_TEXT]
            )
            + (
                f" ; et {plural(len(frequent) - CAMPAIGNS_IN_TEXT, 'autre', 'autres')}."
                if len(frequent) > CAMPAIGNS_IN_TEXT
                else "."
            ),
        ]
    if non_answers and non_answers["count"]:
        examples = ", ".join(quote(text) for text in non_answers["examples"])
        lines += [
            "",
            f"{plural(non_answers['count'], 'contribution', 'contributions')} sans contenu "
            f"({examples}…), ni dans les campagnes ni dans les thèmes : "
            f"{links.cite_many(non_answers['contribution_ids'])}.",
        ]
    return "\n".join(lines)


# What the text says of a theme a person made on the review's workbench (`review_draft`).
PERSON_THEME = "Thème formé à la relecture : ses expressions et termes clés ne sont pas calculés."


def _themes(
    themes: list[dict],
    links: Links,
    proposal_groups: list[dict] | None = None,
    articles: list[dict] | None = None,
) -> str:
    lines = ["## Les thèmes", ""]
    if not themes:
        lines.append(
            "Les contributions sont trop peu nombreuses ou trop dispersées pour dégager des "
            f"thèmes ([méthode]({METHOD_PATH}#themes))."
        )
        return "\n".join(lines)
    lines.append(
        f"Les contributions publiques, les copies de campagne mises à part, se regroupent en "
        f"{plural(len(themes), 'thème', 'thèmes')}. Les expressions et termes clés sont calculés ; "
        f"l'intitulé de chaque thème est à formuler ([méthode]({METHOD_PATH}#themes))."
    )
    for index, theme in enumerate(themes, start=1):
        lines += [
            "",
            f"### Thème {index} : {escape(theme['label'])} "
            f"({plural(theme['size'], 'contribution', 'contributions')})",
            "",
        ]
        if theme.get("made_by_a_person"):
            lines += [PERSON_THEME, ""]
        if theme.get("phrases"):
            lines += [f"Expressions clés : {', '.join(quote(p) for p in theme['phrases'])}.", ""]
        if theme.get("terms"):
            lines += [f"Termes clés : {escape(', '.join(theme['terms']))}.", ""]
        lines += [f"- {quote(e['text'])} — {links.cite(e['id'])}" for e in theme["excerpts"]]
        lines += _part_reading(theme, proposal_groups or [], links, "ce thème")
        lines += _spread_lines(theme, articles or [], links)
        lines += ["", f"Contributions : {links.cite_many(theme['contribution_ids'])}."]
    return "\n".join(lines)


SPREAD_ARTICLES = 5  # the articles a theme's spread names; the others are counted
# Who wrote a theme's contributions (`draft.PARTICIPANT_TYPES`): French singular and plural.
PARTICIPANT_NOUNS = {
    "individual": ("particulier", "particuliers"),
    "organisation": ("organisation", "organisations"),
    "offline": ("observation reçue hors ligne", "observations reçues hors ligne"),
}


def _spread_lines(theme: dict, articles: list[dict], links: Links) -> list[str]:
    """Where a theme's contributions stand (the articles with the most of them, those on no
    article) and who wrote them (participant types)."""
    lines: list[str] = []
    named = {article["id"]: article for article in articles}
    places = []
    entries = theme.get("by_article") or []
    for entry in entries[:SPREAD_ARTICLES]:
        count = plural(entry["count"], "contribution", "contributions")
        article = named.get(entry["article"])
        if article is None:
            places.append(f"sans article : {count}")
        else:
            places.append(
                f"[{escape(article['label'])}]({links.article(article['slug'])}) : {count}"
            )
    if places:
        rest = sum(entry["count"] for entry in entries[SPREAD_ARTICLES:])
        more = (
            f" ; {plural(rest, 'autre contribution', 'autres contributions')} dans "
            f"{plural(len(entries) - SPREAD_ARTICLES, 'autre article', 'autres articles')}"
            if rest
            else ""
        )
        lines += ["", f"Où se trouvent ses contributions : {' ; '.join(places)}{more}."]
    types = theme.get("by_participant_type") or {}
    who = [
        plural(types[kind], *nouns) for kind, nouns in PARTICIPANT_NOUNS.items() if types.get(kind)
    ]
    if who:
        lines += ["", f"Qui les a écrites : {', '.join(who)}."]
    return lines


# --- Proposals and statement kinds ---------------------------------------------------------------


def statement_phrase(counts: dict[str, int]) -> str:
    """« 40 propositions, 12 problèmes décrits, 5 témoignages… »: what the contributions do,
    kinds without any left out; "" when none."""
    return ", ".join(
        plural(counts[kind], *nouns) for kind, nouns in STATEMENT_NOUNS.items() if counts.get(kind)
    )


def _statement_line(counts: dict[str, int] | None) -> list[str]:
    phrase = statement_phrase(counts or {})
    if not phrase:
        return []
    return [
        "",
        f"Ce que font ces contributions : {phrase} (une contribution peut faire plusieurs de "
        f"ces choses ; [méthode]({METHOD_PATH}#natures)).",
    ]


def _proposal_label(group: dict) -> str:
    return quote(group["label"]) if group.get("label") else "(texte retiré ou masqué depuis)"


def _proposal_lines(entries: list[dict], groups: list[dict], links: Links, where: str) -> list[str]:
    """The most frequent proposals of a theme or an article, each with its contributions."""
    if not entries:
        return []
    lines = ["", f"Propositions les plus fréquentes dans {where} :", ""]
    for entry in entries:
        group = groups[entry["group"]]
        lines.append(
            f"- {_proposal_label(group)} — "
            f"{plural(entry['count'], 'contribution', 'contributions')} "
            f"({links.cite_many(entry['contribution_ids'], PART_LINKED, entry['count'])})"
            + (
                f", {number(group['count'])} dans toute la consultation."
                if group["count"] > entry["count"]
                else "."
            )
        )
    return lines


def _part_reading(part: dict, groups: list[dict], links: Links, where: str) -> list[str]:
    """A theme's proposals and statement kinds."""
    return _proposal_lines(part.get("proposals") or [], groups, links, where) + _statement_line(
        part.get("statement_kinds")
    )


def _article_reading(
    article: dict, themes: list[dict], groups: list[dict], links: Links
) -> list[str]:
    """What an article's contributions say, votes or not: their themes, their proposals, their
    statement kinds and a few of them to read first."""
    lines: list[str] = []
    public = article.get("public_contributions") or 0
    if article.get("themes"):
        named = [
            f"thème {entry['theme'] + 1} ({escape(themes[entry['theme']]['label'])}) : "
            f"{plural(entry['count'], 'contribution', 'contributions')}"
            for entry in article["themes"]
            if entry["theme"] < len(themes)
        ]
        lines += ["", f"Thèmes de ses contributions : {' ; '.join(named)}."]
    elif public:
        lines += [
            "",
            "Ses contributions ne se rattachent à aucun thème (trop peu nombreuses, trop "
            f"dispersées ou sans contenu ; [méthode]({METHOD_PATH}#themes)).",
        ]
    lines += _own_theme_lines(article, themes, links)
    lines += _proposal_lines(article.get("proposals") or [], groups, links, "cet article")
    lines += _statement_line(article.get("statement_kinds"))
    representatives = article.get("representatives") or []
    if representatives:
        lines += ["", "À lire en premier, votes ou non :", ""]
        for item in representatives:
            theme = f" (thème {item['theme'] + 1})" if item.get("theme") is not None else ""
            lines.append(f"- {links.cite(item['id'])} {quote(item['excerpt'])}{theme}.")
    return lines


def _own_theme_lines(article: dict, themes: list[dict], links: Links) -> list[str]:
    """The themes found within an article's own contributions (`own_themes`), each with its
    size, the consultation's theme it overlaps most, an excerpt and its first contributions;
    or why none was looked for."""
    own = article.get("own_themes") or []
    texts = article.get("own_themes_texts") or 0
    if not own:
        if texts and "own_themes_texts" in article:
            return [
                "",
                f"Pas de thèmes propres à cet article : {plural(texts, 'contribution', 'contributions')} "
                f"de fond, trop peu pour en chercher ([méthode]({METHOD_PATH}#themes-articles)).",
            ]
        return []
    lines = [
        "",
        f"Thèmes propres à cet article, cherchés dans ses "
        f"{plural(texts, 'contribution', 'contributions')} de fond "
        f"([méthode]({METHOD_PATH}#themes-articles)) :",
        "",
    ]
    for number_in_article, theme in enumerate(own, start=1):
        overall = [
            f"thème {entry['theme'] + 1} de la consultation ({escape(themes[entry['theme']]['label'])})"
            for entry in (theme.get("overall") or [])[:1]
            if entry["theme"] < len(themes)
        ]
        line = (
            f"{number_in_article}. {escape(theme['label'])} — "
            f"{plural(theme['size'], 'contribution', 'contributions')}"
            + (f", surtout du {overall[0]}" if overall else "")
            + "."
        )
        excerpts = theme.get("excerpts") or []
        if excerpts:
            line += f" {quote(excerpts[0]['text'])} — {links.cite(excerpts[0]['id'])}."
        line += (
            f" Contributions : "
            f"{links.cite_many(theme['contribution_ids'], PART_LINKED, theme['size'])}."
        )
        lines.append(line)
    return lines


def _proposals(proposals: dict | None, links: Links) -> str:
    if proposals is None:
        return ""
    lines = ["## Les propositions les plus fréquentes", ""]
    method = f"[méthode]({METHOD_PATH}#propositions)"
    if not proposals["total"]:
        lines.append(
            "Aucune proposition n'a été repérée dans les contributions publiques (aucune phrase "
            f"du type « il faudrait… », « Créer… », « je propose… » ; {method})."
        )
        return "\n".join(lines)
    groups = proposals["groups"]
    listed = proposals.get("listed") or []
    lines.append(
        f"{plural(proposals['contributions'], 'contribution fait', 'contributions font')} au "
        f"moins une proposition (une phrase qui demande une mesure : « il faudrait… », "
        f"« Créer… », « je propose… ») : "
        f"{plural(proposals['total'], 'proposition distincte', 'propositions distinctes')} une "
        f"fois les formulations presque identiques regroupées, dont "
        f"{plural(proposals['repeated'], 'revient', 'reviennent')} dans au moins deux "
        f"contributions ({method})."
    )
    if not listed:
        return "\n".join(lines)
    lines += [
        "",
        "Les plus fréquentes (chaque contribution comptée une fois, copies de campagne "
        "comprises) :",
        "",
    ]
    for rank, index in enumerate(listed, start=1):
        group = groups[index]
        copies = group.get("campaign_copies") or 0
        lines.append(
            f"{rank}. {_proposal_label(group)} — "
            f"{plural(group['count'], 'contribution', 'contributions')}"
            + (f" (dont {plural(copies, 'copie', 'copies')} de campagne)" if copies else "")
            + f" : {links.cite_many(group['contribution_ids'], LINKED, group['count'])}."
        )
    return "\n".join(lines)


def _statement_name(statement: dict, links: Links) -> str:
    if statement["kind"] == "article":
        label = escape(statement.get("label") or f"article {statement['id']}")
        return f"[{label}]({links.article(statement['slug'])})" if statement.get("slug") else label
    name = links.cite(statement["id"])
    return f"{name} {quote(statement['excerpt'])}" if statement.get("excerpt") else name


def _opinions(opinions: dict, links: Links) -> str:
    lines = ["## Les groupes d'opinion", ""]
    participants = opinions["participants"]
    if not opinions["clear"]:
        compared = (
            f"les votes de {plural(participants, 'participant', 'participants')} ayant voté "
            "assez souvent ont été comparés"
            if participants
            else "aucun participant n'a voté assez souvent pour être comparé"
        )
        lines.append(
            f"{escape(opinions.get('reason') or '')} Le brouillon ne présente donc pas de "
            f"groupes d'opinion ({compared} ; [méthode]({METHOD_PATH}#groupes))."
        )
    else:
        lines.append(
            f"Les votes de {plural(participants, 'participant', 'participants')} dessinent "
            f"{plural(len(opinions['groups']), 'groupe', 'groupes')} d'opinion "
            f"([méthode]({METHOD_PATH}#groupes))."
        )
        for group in opinions["groups"]:
            lines += [
                "",
                f"### {group['label']} ({plural(group['size'], 'participant', 'participants')})",
                "",
            ]
            if group["supports"]:
                lines += ["Ce groupe approuve nettement plus que les autres :", ""]
                lines += [
                    f"- {_statement_name(s, links)} : {share(s['group_agree'])} d'accord dans le "
                    f"groupe, {share(s['others_agree'])} "
                    "chez les autres."
                    for s in group["supports"]
                ]
            else:
                lines.append("Aucune contribution ne le distingue nettement des autres groupes.")
    lines += _consensus(opinions, links)
    if opinions["clear"]:
        lines += _cruxes(opinions, links)
    return "\n".join(lines)


def _group_shares(statement: dict) -> str:
    """« Groupe A : 90 % d'accord, Groupe B : 10 % »."""
    shares = [f"{g['group']} : {share(g['agree'])}" for g in statement["by_group"]]
    return f"{', '.join(shares)} d'accord"


def _claim_rule(opinions: dict) -> str:
    """What the consensus and the cruxes count (see `analysis.opinions`, steps 5 and 7)."""
    return (
        f"au moins {plural(opinions['claim_min_votes'], 'vote', 'votes')} chacun, une campagne "
        f"comptée une fois ([méthode]({METHOD_PATH}#groupes))"
    )


def _consensus(opinions: dict, links: Links) -> list[str]:
    consensus, rule = opinions["consensus"], _claim_rule(opinions)
    if not opinions["clear"]:
        if not consensus:
            return []
        lines = ["", f"Ce que la plupart des participants comparés approuvent ({rule}) :", ""]
        return lines + [
            f"- {_statement_name(s, links)} : {share(s['agree'])} d'accord "
            f"({plural(s['votes'], 'vote', 'votes')})."
            for s in consensus
        ]
    lines = ["", "### Ce sur quoi tous les groupes s'accordent", ""]
    if not consensus:
        return lines + [
            "Rien, parmi les articles et contributions assez votés, n'est approuvé par une large "
            f"part de chaque groupe ({rule})."
        ]
    lines += [
        "Approuvé par une large part de chaque groupe, du plus au moins partagé (produit des "
        f"parts d'accord des groupes ; {rule}) :",
        "",
    ]
    return lines + [
        f"- {_statement_name(s, links)} : {_group_shares(s)} "
        f"({plural(s['votes'], 'vote', 'votes')})."
        for s in consensus
    ]


def _cruxes(opinions: dict, links: Links) -> list[str]:
    cruxes, rule = opinions["cruxes"], _claim_rule(opinions)
    lines = ["", "### Ce qui divise les groupes", ""]
    if not cruxes:
        return lines + [
            "Rien, parmi les articles et contributions assez votés, n'est nettement approuvé par "
            f"la majorité d'un groupe sans l'être par celle d'un autre ({rule})."
        ]
    lines += [
        "Approuvé par la majorité d'un groupe sans l'être par celle d'un autre, du plus grand "
        f"au plus petit écart entre les groupes ({rule}) :",
        "",
    ]
    return lines + [
        f"- {_statement_name(s, links)} : {_group_shares(s)} "
        f"({plural(s['votes'], 'vote', 'votes')})."
        for s in cruxes
    ]


def _limits() -> str:
    return (
        "Les chiffres décrivent les personnes qui ont participé, pas l'ensemble de la "
        "population. Les campagnes, thèmes et groupes sont calculés automatiquement : ils "
        "orientent la lecture des contributions sans la remplacer, et chaque regroupement est à "
        f"vérifier en lisant les contributions citées ([méthode et limites]({METHOD_PATH}))."
    )
