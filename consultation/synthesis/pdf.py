"""The synthesis as a PDF document, for download and archiving.

Built with fpdf2 from the published version: the consultation, the version and its date, the
text (the sanitised HTML of its Markdown, which fpdf2 lays out), the environmental parts and the
follow-ups, after a table of contents. Every link is absolute (the text's own paths are joined
to BASE_URL), so that it still leads somewhere once the file is downloaded; each page says
« Page n / N »; a heading never ends a page (it starts the next one when less than
`KEEP_WITH_HEADING` remains). The State's colours (blue France, red Marianne) are used only
on a State site (`STATE_BRANDING`); elsewhere the document is in greys. French text needs a
Unicode font: DejaVu Sans (Debian's fonts-dejavu-core, installed
by the CI script) is looked for in the usual places, or in the `PDF_FONT_DIR` setting. Without
it the document falls back on the PDF core font Helvetica, which only holds Latin-1: typographic
signs are replaced by their nearest Latin-1 equivalent, so the document is still produced.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.drawing import DeviceRGB
from fpdf.html import DEFAULT_TAG_STYLES
from fpdf.outline import OutlineSection

from consultation.core import clock
from consultation.core.i18n import interface_locale
from consultation.core.plurals import ngettext
from consultation.core.sanitize import TextLinks, render_markdown

logger = logging.getLogger(__name__)

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu
    "/usr/share/fonts/dejavu",  # Fedora
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/TTF",  # Arch
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
# What Helvetica (Latin-1) cannot show, written with what it can.
LATIN1_REPLACEMENTS = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "—": "-",
        "–": "-",
        "…": "...",
        "œ": "oe",
        "Œ": "OE",
        "\u202f": " ",
        "\u2009": " ",
        "€": "EUR",
        "•": "-",
    }
)


KEEP_WITH_HEADING = 25  # mm: a heading and about three lines of what follows it
TOC_LEVELS = 1  # the table of contents lists the document's parts and the text's ## headings


@dataclass(frozen=True)
class Palette:
    heading: tuple[int, int, int]
    link: tuple[int, int, int]
    accent: tuple[int, int, int]  # the rule under the title, the list bullets


STATE_PALETTE = Palette(heading=(0, 0, 145), link=(0, 0, 145), accent=(225, 0, 15))
NEUTRAL_PALETTE = Palette(heading=(22, 22, 22), link=(58, 58, 58), accent=(102, 102, 102))


def palette(state_branding: bool) -> Palette:
    """Blue France and red Marianne on a State site only; greys elsewhere."""
    return STATE_PALETTE if state_branding else NEUTRAL_PALETTE


_RELATIVE_HREF = re.compile(r'href="(/[^"]*)"')
_HEADING = re.compile(r"(<h[2-6]\b[^>]*>.*?</h[2-6]>)", re.DOTALL)


def absolute_links(html: str, base_url: str) -> str:
    """The `href` paths of `html` (`/consultations/…`) as absolute addresses under
    `base_url`; the others (http, https, mailto) unchanged."""
    base = base_url.rstrip("/")
    return _RELATIVE_HREF.sub(lambda m: f'href="{base}{m.group(1)}"', html)


@dataclass(frozen=True)
class FollowUpLine:
    title: str
    status: str
    due_date: str
    description: str
    url: str


def find_font_dir(extra: str | None = None) -> Path | None:
    """The first folder holding the four DejaVu Sans files, or None."""
    for folder in ([extra] if extra else []) + list(FONT_DIRS):
        path = Path(folder)
        if all((path / name).is_file() for name in FONT_FILES.values()):
            return path
    return None


class SynthesisPDF(FPDF):
    def __init__(self, font_dir: Path | None, footer_text: str, colours: Palette = NEUTRAL_PALETTE):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.colours = colours
        self.base_url = ""  # the text's paths are joined to it (`absolute_links`)
        self.unicode = font_dir is not None
        if font_dir is not None:
            for style, name in FONT_FILES.items():
                self.add_font("DejaVu", style, str(font_dir / name))
            self.base_family = "DejaVu"
        else:
            self.base_family = "helvetica"
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 18, 20)

    def text_of(self, value: str) -> str:
        if self.unicode:
            return value
        return value.translate(LATIN1_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.base_family, size=8)
        self.set_text_color(100)
        page = _("Page %(page)s / %(pages)s", page=self.page_no(), pages=self.str_alias_nb_pages)
        self.cell(0, 5, self.text_of(f"{self.footer_text} — {page}"), align="C")
        self.set_text_color(0)

    def tag_styles(self) -> dict:
        """fpdf2's HTML styles in this document's colours."""
        styles = dict(DEFAULT_TAG_STYLES)
        for tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            styles[tag] = styles[tag].replace(color=_rgb(self.colours.heading))
        styles["a"] = styles["a"].replace(color=_rgb(self.colours.link))
        styles["blockquote"] = styles["blockquote"].replace(color=_rgb((58, 58, 58)))
        return styles

    def keep_with_next(self) -> None:
        """Start a new page rather than leave a heading at the foot of this one."""
        if self.will_page_break(KEEP_WITH_HEADING):
            self.add_page()


def _rgb(colour: tuple[int, int, int]) -> DeviceRGB:
    return DeviceRGB(*(value / 255 for value in colour))


def _render_toc(pdf: FPDF, outline: list[OutlineSection]) -> None:
    """The table of contents: the document's parts and the text's ## headings, with their
    page, each a link to it."""
    assert isinstance(pdf, SynthesisPDF)
    t = pdf.text_of
    pdf.set_x(pdf.l_margin)
    pdf.set_font(pdf.base_family, "B", 14)
    pdf.set_text_color(*pdf.colours.heading)
    pdf.multi_cell(0, 8, t(_("Sommaire")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(2)
    for section in outline:
        if section.level > TOC_LEVELS:
            continue
        link = pdf.add_link(page=section.page_number)
        pdf.set_font(pdf.base_family, "B" if section.level == 0 else "", 10)
        indent = 6 * section.level
        pdf.set_x(pdf.l_margin + indent)
        label = str(section.page_number)
        width = pdf.epw - indent - pdf.get_string_width(label) - 4
        pdf.cell(width, 6, t(_shorten(pdf, section.name, width)), link=link)
        pdf.cell(0, 6, label, align="R", link=link, new_x="LMARGIN", new_y="NEXT")


def _shorten(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def build_pdf(
    *,
    consultation_title: str,
    institution: str,
    version_number: int,
    published_at,
    days_after_closing: int,
    change_note: str,
    body: str,
    observations_considered: str = "",
    reasons_url: str = "",
    follow_ups: Sequence[FollowUpLine] = (),
    address: str = "",
    base_url: str = "",
    state_branding: bool = False,
    font_dir: str | None = None,
    compress: bool = True,
    text_links: TextLinks | None = None,
) -> bytes:
    """The PDF of one published version. `compress=False` leaves the streams readable (tests).
    `base_url` (the BASE_URL setting) makes the text's links absolute; `state_branding` gives
    it the State's colours; `text_links` makes the text's contribution tokens links
    (`links.TokenLinks`).

    The words the document adds around the synthesis (headings, dates, page numbers) are in the
    reader's language; the synthesis itself and what organisers wrote stay as written."""
    pdf = SynthesisPDF(
        find_font_dir(font_dir), address or consultation_title, palette(state_branding)
    )
    pdf.base_url = base_url
    pdf.set_compression(compress)
    title = _("Synthèse — %(title)s", title=consultation_title)
    pdf.set_title(title)
    pdf.set_author(institution)
    pdf.set_subject(_("Synthèse de la consultation, version %(number)s", number=version_number))
    pdf.set_lang(interface_locale())
    pdf.add_page()
    t = pdf.text_of
    pdf.set_font(pdf.base_family, "B", 18)
    pdf.multi_cell(0, 9, t(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(pdf.base_family, "", 10)
    published = clock.to_paris(published_at).strftime("%d/%m/%Y")
    days = ngettext("%(num)s jour", "%(num)s jours", days_after_closing) % {
        "num": days_after_closing
    }
    lines = [
        institution,
        _(
            "Version %(number)s, publiée le %(date)s (%(days)s après la clôture).",
            number=version_number,
            date=published,
            days=days,
        ),
    ]
    if change_note:
        lines.append(_("Note de version : %(note)s", note=change_note))
    if address:
        lines.append(address)
    for line in lines:
        pdf.multi_cell(
            0, 5, t(line), new_x="LMARGIN", new_y="NEXT", link=line if line == address else ""
        )
    pdf.set_draw_color(*pdf.colours.accent)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.y + 2, pdf.l_margin + 30, pdf.y + 2)
    pdf.set_draw_color(0)
    pdf.ln(6)
    pdf.insert_toc_placeholder(_render_toc, allow_extra_pages=True)
    _section(pdf, _("Synthèse des observations"))
    _markdown(pdf, body, text_links)
    if observations_considered or reasons_url:
        _section(pdf, _("Observations prises en compte"))
        _markdown(pdf, observations_considered)
        if reasons_url:
            pdf.set_font(pdf.base_family, "", 10)
            pdf.multi_cell(
                0,
                5,
                t(_("Déclaration des motifs : %(url)s", url=reasons_url)),
                new_x="LMARGIN",
                new_y="NEXT",
                link=reasons_url,
            )
    _section(pdf, _("Suites envisagées"))
    for item in follow_ups:
        pdf.keep_with_next()
        pdf.set_font(pdf.base_family, "B", 11)
        pdf.multi_cell(0, 6, t(item.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdf.base_family, "", 10)
        facts = (
            _("%(status)s — échéance prévue le %(date)s", status=item.status, date=item.due_date)
            if item.due_date
            else item.status
        )
        pdf.multi_cell(0, 5, t(facts), new_x="LMARGIN", new_y="NEXT")
        if item.description:
            pdf.multi_cell(0, 5, t(item.description), new_x="LMARGIN", new_y="NEXT")
        if item.url:
            pdf.set_text_color(*pdf.colours.link)
            pdf.multi_cell(0, 5, t(item.url), new_x="LMARGIN", new_y="NEXT", link=item.url)
            pdf.set_text_color(0)
        pdf.ln(3)
    return bytes(pdf.output())


def _section(pdf: SynthesisPDF, heading: str) -> None:
    pdf.keep_with_next()
    pdf.ln(2)
    pdf.start_section(pdf.text_of(heading), level=0)
    pdf.set_font(pdf.base_family, "B", 14)
    pdf.set_text_color(*pdf.colours.heading)
    pdf.multi_cell(0, 8, pdf.text_of(heading), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(1)


def _markdown(pdf: SynthesisPDF, text: str, text_links: TextLinks | None = None) -> None:
    """The text's sanitised HTML laid out by fpdf2; as plain paragraphs if that fails (fpdf2's
    HTML support refuses some shapes, such as tables with uneven rows)."""
    pdf.set_font(pdf.base_family, "", 10)
    html = absolute_links(str(render_markdown(text, text_links)), pdf.base_url)
    state = (pdf.page, pdf.y)
    try:
        # One piece per heading, so that a heading that would end a page starts the next one;
        # fpdf2 enters each heading in the outline (h2 at level 1, under the document's parts).
        pieces = _HEADING.split(html)
        blocks = [pieces[0]] + [a + b for a, b in zip(pieces[1::2], pieces[2::2], strict=True)]
        for index, block in enumerate(blocks):
            if not block.strip():
                continue
            if index:
                pdf.keep_with_next()
            pdf.write_html(
                pdf.text_of(block),
                font_family=pdf.base_family,
                tag_styles=pdf.tag_styles(),
                li_prefix_color=pdf.colours.accent,
            )
    except Exception:  # noqa: BLE001  (any layout failure: the plain text still goes out)
        logger.warning("synthesis PDF: HTML layout failed, falling back to paragraphs")
        if (pdf.page, pdf.y) != state:
            pdf.ln(4)
        for paragraph in text.split("\n\n"):
            if paragraph.strip():
                pdf.multi_cell(0, 5, pdf.text_of(paragraph.strip()), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
    pdf.ln(2)
