"""Import of drafts: a generated 2,000-article text parsed, and a ~300-page .docx (Word's
heading styles, one list numbered by Word) read and parsed through the upload checks.

    .venv/bin/python bench/import.py [--articles 2000] [--docx-articles 600]

Prints the parse time of the text, then for the .docx its size, pages (about 500 words a
page), the time to read and parse it and the peak memory Python allocated meanwhile
(tracemalloc, the upload's temporary copy included).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CONSULTATION_ENV", "test")

from consultation import create_app  # noqa: E402
from consultation.texts.importer import parse_text  # noqa: E402
from consultation.texts.office import text_from_upload  # noqa: E402

SENTENCE = (
    "Le représentant de l'État dans le département fixe par arrêté les conditions dans "
    "lesquelles les communes et leurs groupements mettent en œuvre les mesures prévues au "
    "présent article, après avis de la commission départementale compétente"
)


def generated_text(articles: int) -> str:
    lines = []
    for number in range(1, articles + 1):
        if number % 20 == 1:
            lines += [f"Chapitre {number // 20 + 1}", "Mesures d'application", ""]
        lines.append("Article 1er" if number == 1 else f"Article {number}")
        lines += [f"{alinea}° {SENTENCE} ;" for alinea in range(1, 5)]
        lines.append("")
    return "\n".join(lines)


def generated_docx(articles: int) -> bytes:
    import docx

    document = docx.Document()
    for number in range(1, articles + 1):
        if number % 20 == 1:
            document.add_paragraph(f"Chapitre {number // 20 + 1}", style="Heading 1")
            document.add_paragraph("Mesures d'application", style="Heading 1")
        document.add_paragraph(
            "Article 1er" if number == 1 else f"Article {number}", style="Heading 2"
        )
        for alinea in range(1, 5):
            document.add_paragraph(f"{alinea}° {SENTENCE} ; {SENTENCE}.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--docx-articles", type=int, default=600)
    args = parser.parse_args()

    source = generated_text(args.articles)
    started = time.perf_counter()
    parsed = parse_text(source)
    elapsed = time.perf_counter() - started
    print(
        f"pasted text: {len(parsed.articles)} articles, {len(source):,} characters, "
        f"parsed in {elapsed:.2f} s"
    )

    data = generated_docx(args.docx_articles)
    words = args.docx_articles * 4 * 2 * len(SENTENCE.split())
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        tracemalloc.start()
        started = time.perf_counter()
        read = text_from_upload(io.BytesIO(data), "projet.docx", field="file")
        parsed = parse_text(read.source)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        f".docx: {len(data) // 1024:,} kB, about {words // 500} pages, "
        f"{len(parsed.articles)} articles: read and parsed in {elapsed:.2f} s, "
        f"peak Python memory {peak / 1e6:.0f} MB"
    )


if __name__ == "__main__":
    main()
