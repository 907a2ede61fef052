"""The draft's charts: accessible SVG drawn on the server, each with the table of its data.

No JavaScript and no external library: each chart is an `<svg role="img">` named by its
`<title>` and described by its `<desc>` (`aria-labelledby`), in the State design system's
colours, all of at least 3:1 against white (WCAG 1.4.11). Colour is never the only cue: bars
carry their label and value in text, and the three opinions of a stacked bar are drawn with a
solid fill, a hatching and dots, shown in the legend. Every chart comes with a `Table` of the
same figures, which the template renders right after it as a captioned `fr-table`.

The charts are the page's, not the synthesis text's: their titles, descriptions, legends,
headers and notes read in the reader's language. `draft_charts` is called for each page shown
(`queries.data_block`), so it translates as it builds (`gettext`, `ngettext`, numbers and dates
written for the reader); the module's constants are French sources marked with `N_`.

A chart is drawn as a tree of `Shape`s (element name, attributes, text) that the template
`synthesis/_svg.html` writes out, so that every label and value taken from the draft's data
(titles of articles, categories) goes through the template's autoescaping like any other text.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.dates import format_date
from flask_babel import get_locale, gettext

from consultation.accounts.models import OrganisationCategory, ProfileType
from consultation.core.charter import REASON_LABELS
from consultation.core.i18n import N_, lazy, number
from consultation.core.plurals import ngettext
from consultation.participation.kinds import spec_of
from consultation.participation.models import OPINION_LABELS, OfflineChannel, Opinion
from consultation.synthesis.draft_markdown import article_lists

BLUE = "#000091"  # blue France: 16:1 on white
GREEN = "#18753c"  # success: 5.4:1
GREY = "#666666"  # 5.7:1
RED = "#ce0500"  # error: 5.9:1
TEXT = "#161616"
GRID = "#929292"  # 3.1:1
FONT = "Marianne, Arial, sans-serif"
WIDTH = 720

# Labels of the codes stored in the draft's data, for the template: lazy, so in the language of
# whoever reads the page (the synthesis text keeps its French ones, `draft_markdown`).
LABELS: dict[str, Any] = {
    "profiles": {profile.value: profile.label for profile in ProfileType},
    "categories": {category.value: category.label for category in OrganisationCategory},
    "channels": {channel.value: channel.label for channel in OfflineChannel},
    "reasons": {reason.value: lazy(label) for reason, label in REASON_LABELS.items()},
    "opinions": {opinion.value: opinion.label for opinion in Opinion},
    # The lists of an article's summary, (key, heading), in order (N_: `_()` on the page).
    "article_lists": article_lists(),
}

# The opinions of a stacked bar: (key, French label, colour, pattern).
OPINIONS = (
    ("agree", OPINION_LABELS[Opinion.agree], GREEN, "solid"),
    ("mixed", OPINION_LABELS[Opinion.mixed], GREY, "hatch"),
    ("disagree", OPINION_LABELS[Opinion.disagree], RED, "dots"),
)

QUIET_DAYS_NOTE = N_("Jours sans activité omis du tableau (%(n)s).")


@dataclass
class Table:
    caption: str
    headers: list[str]  # the first names the row headers' column
    rows: list[tuple[str, list[str]]]  # (row header, cells)
    footer: tuple[str, list[str]] | None = None


@dataclass
class Shape:
    """One SVG element: its name and attributes (ours), its text and children."""

    tag: str
    attributes: dict[str, str]
    text: str = ""
    children: list[Shape] = field(default_factory=list)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    height: int
    shapes: list[Shape]
    table: Table
    notes: list[str] = field(default_factory=list)
    width: int = WIDTH
    font: str = FONT
    ink: str = TEXT


def _percent(part: int, total: int) -> str:
    # Translators: a share in percent; French puts a no-break space before the sign.
    return gettext("%(percent)s\u00a0%%", percent=number(round(100 * part / total) if total else 0))


def _date(value: date, pattern: str) -> str:
    """`value` in the reader's language by `pattern` (a translated CLDR date pattern)."""
    return format_date(value, pattern, locale=get_locale() or "fr")


def _day(value: date) -> str:
    # Translators: a CLDR date pattern, for a day in a table or a description (« 05/12/2026 »).
    return _date(value, gettext("dd/MM/y"))


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _shape(tag: str, text: str = "", children: list[Shape] | None = None, **attributes) -> Shape:
    """`stroke_width=1` becomes the attribute `stroke-width="1"`; numbers to one decimal."""
    return Shape(
        tag,
        {
            name.replace("_", "-"): f"{value:.1f}" if isinstance(value, float) else str(value)
            for name, value in attributes.items()
        },
        text,
        children or [],
    )


def _text(x: float, y: float, content: str, anchor: str = "start", **attributes) -> Shape:
    return _shape("text", content, x=float(x), y=float(y), text_anchor=anchor, **attributes)


def _rect(x: float, y: float, width: float, height: float, fill: str, **attributes) -> Shape:
    return _shape(
        "rect",
        x=float(x),
        y=float(y),
        width=float(max(width, 0)),
        height=float(height),
        fill=fill,
        **attributes,
    )


# --- The three kinds of chart --------------------------------------------------------------------


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    items: list[tuple[str, int]],
    row_header: str,
    column: str,
) -> Chart:
    """Horizontal bars, one per item, each with its label on the left and its value on the
    right."""
    label_width, bar_left, row, top = 250, 260, 30, 10
    bar_space = WIDTH - bar_left - 90
    largest = max((value for _label, value in items), default=0) or 1
    total = sum(value for _label, value in items)
    body = []
    for index, (label, value) in enumerate(items):
        y = top + index * row
        width = bar_space * value / largest
        body.append(_text(label_width, y + 19, _shorten(label, 36), anchor="end"))
        body.append(_rect(bar_left, y + 5, width, row - 10, BLUE))
        body.append(_text(bar_left + width + 6, y + 19, number(value)))
    body.append(
        _shape("line", x1=bar_left, y1=top, x2=bar_left, y2=top + row * len(items), stroke=GRID)
    )
    table = Table(
        caption=title,
        headers=[row_header, column, gettext("Part")],
        rows=[(label, [number(value), _percent(value, total)]) for label, value in items],
        footer=(gettext("Total"), [number(total), _percent(total, total)]),
    )
    height = top * 2 + row * max(len(items), 1)
    return Chart(chart_id, title, description, height, body, table)


def _patterns(chart_id: str) -> Shape:
    """The hatching (mixed) and the dots (disagree) that tell opinions apart without colour."""
    tile: dict[str, Any] = {"width": 6, "height": 6, "patternUnits": "userSpaceOnUse"}
    hatch = [
        _shape("rect", width=6, height=6, fill=GREY),
        _shape("rect", width=2, height=6, fill="#ffffff"),
    ]
    dots = [
        _shape("rect", width=6, height=6, fill=RED),
        _shape("circle", cx=3, cy=3, r=1.3, fill="#ffffff"),
    ]
    return _shape(
        "defs",
        children=[
            _shape(
                "pattern",
                children=hatch,
                id=f"{chart_id}-hatch",
                patternTransform="rotate(45)",
                **tile,
            ),
            _shape("pattern", children=dots, id=f"{chart_id}-dots", **tile),
        ],
    )


def _opinion_fill(chart_id: str, style: str, colour: str) -> str:
    return {"solid": colour, "hatch": f"url(#{chart_id}-hatch)", "dots": f"url(#{chart_id}-dots)"}[
        style
    ]


def stacked_chart(
    chart_id: str,
    title: str,
    description: str,
    rows: list[tuple[str, dict[str, int]]],
) -> Chart:
    """One bar per row, split into agree / mixed / disagree shares (100 %), with a legend."""
    label_width, bar_left, row, top = 150, 160, 26, 44
    bar_space = WIDTH - bar_left - 90
    body = [_patterns(chart_id)]
    x = bar_left
    for _key, label, colour, style in OPINIONS:
        body.append(
            _rect(
                x, 12, 18, 18, _opinion_fill(chart_id, style, colour), stroke=TEXT, stroke_width=1
            )
        )
        body.append(_text(x + 24, 26, gettext(label)))
        x += 150
    for index, (label, votes) in enumerate(rows):
        y = top + index * row
        total = sum(votes.get(key, 0) for key, *_rest in OPINIONS)
        body.append(_text(label_width, y + 17, _shorten(label, 20), anchor="end"))
        left: float = bar_left
        for key, _label, colour, style in OPINIONS:
            width = bar_space * votes.get(key, 0) / total if total else 0
            if width > 0:
                body.append(
                    _rect(
                        left,
                        y + 4,
                        width,
                        row - 8,
                        _opinion_fill(chart_id, style, colour),
                        stroke="#ffffff",
                        stroke_width=1,
                    )
                )
            left += width
        caption = (
            ngettext("%(n)s vote", "%(n)s votes", total) % {"n": number(total)}
            if total
            else gettext("aucun vote")
        )
        body.append(_text(bar_left + bar_space + 6, y + 17, caption))
    height = top + row * max(len(rows), 1) + 10
    table = Table(
        caption=title,
        headers=[
            gettext("Article"),
            *(gettext(label) for _key, label, *_rest in OPINIONS),
            gettext("Total"),
        ],
        rows=[
            (
                label,
                [
                    f"{number(votes.get(key, 0))} ({_percent(votes.get(key, 0), sum(votes.values()))})"
                    for key, *_rest in OPINIONS
                ]
                + [number(sum(votes.values()))],
            )
            for label, votes in rows
        ],
    )
    return Chart(chart_id, title, description, height, body, table)


def column_chart(
    chart_id: str, title: str, description: str, days: list[tuple[date, int]], column: str
) -> Chart:
    """One column per day, a scale on the left, a date under every few columns."""
    left, right, top, bottom, height = 60, 10, 16, 40, 240
    plot_height = height - top - bottom
    space = (WIDTH - left - right) / max(len(days), 1)
    largest = max((value for _day, value in days), default=0)
    scale_top = _nice_ceiling(largest)
    body = []
    for fraction in (0, 0.5, 1):
        y = top + plot_height * (1 - fraction)
        body.append(
            _shape("line", x1=left, y1=y, x2=WIDTH - right, y2=y, stroke=GRID, stroke_width=1)
        )
        body.append(_text(left - 6, y + 4, number(round(scale_top * fraction)), anchor="end"))
    every = max(1, math.ceil(len(days) / 12))
    for index, (day, value) in enumerate(days):
        bar_height = plot_height * value / scale_top if scale_top else 0
        x = left + index * space
        body.append(
            _rect(x + space * 0.15, top + plot_height - bar_height, space * 0.7, bar_height, BLUE)
        )
        if index % every == 0:
            body.append(
                # Translators: a CLDR date pattern, for a day under a column (« 5/12 »).
                _text(x + space / 2, height - bottom + 16, _date(day, gettext("d/MM")), "middle")
            )
    # The table lists the days with activity; the chart shows every day, empty ones included.
    quiet = sum(1 for _day, value in days if not value)
    table = Table(
        caption=title,
        headers=[gettext("Jour"), column],
        rows=[(_day(day), [number(value)]) for day, value in days if value],
        footer=(gettext("Total"), [number(sum(value for _day, value in days))]),
    )
    notes = [gettext(QUIET_DAYS_NOTE, n=number(quiet))] if quiet else []
    return Chart(chart_id, title, description, height, body, table, notes)


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^n at least `value` (a round top for the scale)."""
    if value <= 0:
        return 0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


# --- The draft's charts --------------------------------------------------------------------------


def draft_charts(data: dict) -> list[Chart]:
    """The charts of a draft's figures, in reading order; a chart without data is left out."""
    figures = data.get("figures") or {}
    charts = []
    by_kind = (figures.get("contributions") or {}).get("by_kind") or {}
    if any(by_kind.values()):
        items = [(gettext(spec_of(kind).label), n) for kind, n in by_kind.items()]
        charts.append(
            bar_chart(
                "chart-kinds",
                gettext("Contributions par type"),
                gettext(
                    "Barres horizontales : nombre de contributions de chaque type. %(figures)s.",
                    figures=_summary(items),
                ),
                items,
                gettext("Type"),
                gettext("Contributions"),
            )
        )
    by_type = figures.get("participants_by_type") or {}
    if any(by_type.values()):
        items = [(str(LABELS["profiles"][profile]), n) for profile, n in by_type.items()]
        charts.append(
            bar_chart(
                "chart-profiles",
                gettext("Participants par type"),
                gettext(
                    "Barres horizontales : participants particuliers et organisations. "
                    "%(figures)s.",
                    figures=_summary(items),
                ),
                items,
                gettext("Type"),
                gettext("Participants"),
            )
        )
    categories = figures.get("organisations_by_category") or {}
    if any(categories.values()):
        items = [(str(LABELS["categories"][c]), n) for c, n in categories.items()]
        charts.append(
            bar_chart(
                "chart-categories",
                gettext("Organisations participantes par catégorie"),
                gettext(
                    "Barres horizontales : organisations participantes de chaque catégorie. "
                    "%(figures)s.",
                    figures=_summary(items),
                ),
                items,
                gettext("Catégorie"),
                gettext("Organisations"),
            )
        )
    articles = data.get("articles") or []
    if any(sum(a["votes"].values()) for a in articles):
        charts.append(
            stacked_chart(
                "chart-articles",
                gettext("Avis sur chaque article"),
                gettext(
                    "Barres empilées : pour chaque article, la part des avis d'accord (plein), "
                    "mitigés (hachures) et pas d'accord (points) ; le nombre de votes est écrit "
                    "à droite de chaque barre."
                ),
                [(a["label"], a["votes"]) for a in articles],
            )
        )
    per_day = figures.get("per_day") or []
    if per_day:
        days = [date.fromisoformat(d["date"]) for d in per_day]
        for key, name, column in (
            ("contributions", N_("Contributions déposées par jour"), N_("Contributions")),
            ("votes", N_("Votes par jour"), N_("Votes")),
        ):
            values = [(day, d[key]) for day, d in zip(days, per_day, strict=True)]
            peak = max(values, key=lambda pair: pair[1])
            charts.append(
                column_chart(
                    f"chart-days-{key}",
                    gettext(name),
                    gettext(
                        "Colonnes : une par jour (heure de Paris), du %(first)s au %(last)s. "
                        "Total %(total)s ; maximum %(peak)s le %(peak_day)s.",
                        first=_day(days[0]),
                        last=_day(days[-1]),
                        total=number(sum(v for _d, v in values)),
                        peak=number(peak[1]),
                        peak_day=_day(peak[0]),
                    ),
                    values,
                    gettext(column),
                )
            )
    return charts


def _summary(items: list[tuple[str, int]]) -> str:
    """« Label : 3 ; Autre : 5 », each figure by the same message."""
    figures = [
        gettext("%(label)s : %(value)s", label=label, value=number(value)) for label, value in items
    ]
    # Translators: joins two figures of a chart's description, « A : 3 ; B : 5 ».
    return functools.reduce(
        lambda done, figure: gettext("%(done)s ; %(next)s", done=done, next=figure), figures
    )
