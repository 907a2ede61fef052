"""The synthesis as a PDF document, for download and archiving.

Built with fpdf2 from the published version: the consultation, the version and its date, the
text (the sanitised HTML of its Markdown, which fpdf2 lays out), the environmental parts and the
follow-ups. French text needs a Unicode font: DejaVu Sans (Debian's fonts-dejavu-core, installed
by the CI script) is looked for in the usual places, or in the `PDF_FONT_DIR` setting. Without
it the document falls back on the PDF core font Helvetica, which only holds Latin-1: typographic
signs are replaced by their nearest Latin-1 equivalent, so the document is still produced.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF

from consultation.core import clock
from consultation.core.i18n import interface_locale
from consultation.core.plurals import ngettext
from consultation.core.sanitize import render_markdown

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
    def __init__(self, font_dir: Path | None, footer_text: str):
        super().__init__(format="A4")
        self.footer_text = footer_text
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
        footer = _("%(text)s — page %(page)s", text=self.footer_text, page=self.page_no())
        self.cell(0, 5, self.text_of(footer), align="C")
        self.set_text_color(0)


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
    font_dir: str | None = None,
    compress: bool = True,
) -> bytes:
    """The PDF of one published version. `compress=False` leaves the streams readable (tests).

    The words the document adds around the synthesis (headings, dates, page numbers) are in the
    reader's language; the synthesis itself and what organisers wrote stay as written."""
    pdf = SynthesisPDF(find_font_dir(font_dir), address or consultation_title)
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
        pdf.multi_cell(0, 5, t(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _section(pdf, _("Synthèse des observations"))
    _markdown(pdf, body)
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
            )
    _section(pdf, _("Suites envisagées"))
    for item in follow_ups:
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
            pdf.multi_cell(0, 5, t(item.url), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def _section(pdf: SynthesisPDF, heading: str) -> None:
    pdf.ln(2)
    pdf.set_font(pdf.base_family, "B", 14)
    pdf.multi_cell(0, 8, pdf.text_of(heading), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _markdown(pdf: SynthesisPDF, text: str) -> None:
    """The text's sanitised HTML laid out by fpdf2; as plain paragraphs if that fails (fpdf2's
    HTML support refuses some shapes, such as tables with uneven rows)."""
    pdf.set_font(pdf.base_family, "", 10)
    html = str(render_markdown(text))
    state = (pdf.page, pdf.y)
    try:
        pdf.write_html(pdf.text_of(html), font_family=pdf.base_family)
    except Exception:  # noqa: BLE001  (any layout failure: the plain text still goes out)
        logger.warning("synthesis PDF: HTML layout failed, falling back to paragraphs")
        if (pdf.page, pdf.y) != state:
            pdf.ln(4)
        for paragraph in text.split("\n\n"):
            if paragraph.strip():
                pdf.multi_cell(0, 5, pdf.text_of(paragraph.strip()), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
    pdf.ln(2)
