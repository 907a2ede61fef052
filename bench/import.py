"""Import of drafts: a generated 2,000-article text parsed, and a ~300-page .docx (Word's
heading styles, one list numbered by Word) read and parsed through the upload checks; or
given files (.docx, .odt, .md, .txt), each read through the upload checks and parsed.

    .venv/bin/python bench/import.py [--articles 2000] [--docx-articles 600]
    .venv/bin/python bench/import.py --file tests/texts/libreoffice/senat_pjl09-200.docx ...

Prints the parse time of the text, then for the .docx its size, pages (about 500 words a
page), the time to read and parse it and the peak memory Python allocated meanwhile
(tracemalloc, the upload's temporary copy included). With --file, for each file its size,
what it imports to, the best of --repeat timed runs (without tracemalloc) and the peak
memory of one more run.
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
from consultation.texts.office import text_from_file, text_from_upload  # noqa: E402

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


def import_files(paths: list[Path], repeat: int) -> None:
    """Each file read through the upload checks (`text_from_file`, as the import form does)
    and parsed: best time of `repeat` runs, then the peak memory of one run."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        for path in paths:
            data = path.read_bytes()

            def run(data: bytes = data, name: str = path.name):
                read = text_from_file(io.BytesIO(data), name, field="file")
                return read.source, parse_text(read.source)

            run()  # imports and caches warmed up
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                source, parsed = run()
                times.append(time.perf_counter() - started)
            tracemalloc.start()
            run()
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"{path.name}: {len(data) / 1024:,.1f} kB, {len(parsed.articles)} articles, "
                f"{len(parsed.divisions)} divisions, {len(source):,} characters of text, "
                f"{len(parsed.warnings)} warnings: read and parsed in {min(times) * 1000:.1f} ms "
                f"(best of {repeat}), peak Python memory {peak / 1e6:.1f} MB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--docx-articles", type=int, default=600)
    parser.add_argument("--file", type=Path, action="append", help="a draft to import instead")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per --file")
    args = parser.parse_args()
    if args.file:
        import_files(args.file, args.repeat)
        return

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
