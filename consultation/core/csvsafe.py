"""CSV that a spreadsheet opens without running anything: every CSV the platform writes goes
through `writer` (or, for a line written by hand, `neutralise`).

A spreadsheet reads a cell beginning with `=`, `+`, `-` or `@` as a formula, and a tab or a
carriage return at the start lets one through in some of them: a contribution whose text is
`=HYPERLINK("http://…","click")` would become a live link, or worse, in the reader's
spreadsheet. As OWASP recommends ("CSV Injection"), such a text cell gets a single quote in
front, which spreadsheets show as text. A cell that already begins with quotes followed by one of
those characters gets one more quote, so that the change can be undone exactly: remove the first
`'` of a cell that begins with one or more `'` followed by `=`, `+`, `-`, `@`, a tab or a
carriage return. Numbers are written as numbers (a negative count stays a number); only text is
touched, and ISO 8601 dates never begin with those characters. The JSON exports keep the texts
as they were written.

`FRENCH_SPREADSHEET` is the variant French spreadsheet software opens as it is (Excel and
LibreOffice in French read `;` as the separator, and UTF-8 only after a byte-order mark).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

# The characters a spreadsheet may take as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
BOM = "\ufeff"


def neutralise(value: Any) -> Any:
    """`value` as a CSV cell may safely hold it: a text beginning with a formula character (or
    with quotes followed by one) gets a `'` in front; anything else is returned unchanged."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) or (
        value.startswith(QUOTE) and value.lstrip(QUOTE).startswith(FORMULA_STARTS)
    ):
        return QUOTE + value
    return value


def restore(cell: str) -> str:
    """The text `neutralise` was given, from the cell it wrote (what a reuser may do)."""
    if cell.startswith(QUOTE) and cell.lstrip(QUOTE).startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


@dataclass(frozen=True)
class Format:
    """How a CSV file is written: its separator and whether it starts with a byte-order mark."""

    delimiter: str = ","
    bom: bool = False


STANDARD = Format()
FRENCH_SPREADSHEET = Format(delimiter=";", bom=True)


class SafeWriter:
    """`csv.writer` (RFC 4180, CRLF line ends) whose rows go through `neutralise`."""

    def __init__(self, stream: IO[str], csv_format: Format = STANDARD) -> None:
        if csv_format.bom:
            stream.write(BOM)
        self._writer = csv.writer(stream, delimiter=csv_format.delimiter, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: IO[str], csv_format: Format = STANDARD) -> SafeWriter:
    """A CSV writer on `stream` whose text cells are neutralised; `csv_format` gives the
    separator and whether the byte-order mark is written first (at once)."""
    return SafeWriter(stream, csv_format)
