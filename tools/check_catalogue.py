"""Fail when a translation catalogue is stale, incomplete or would break a page.

    python tools/check_catalogue.py MESSAGES.pot CATALOGUE.po [CATALOGUE.po ...]

MESSAGES.pot is what `pybabel extract` finds in the code and templates now (`make
catalogue-check` writes it to a temporary directory). A catalogue is stale when a message of
the template is missing from it, or when it still holds one the code no longer has; it is
incomplete when an entry is empty or fuzzy. A translation is wrong when its placeholders
(`%(name)s`, `%%`, `{name}`) or its HTML tags differ from the message's: a placeholder the code
does not pass raises at rendering. Each such message is printed with where it is.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|%[sdif]|\{[A-Za-z_]\w*\}"
)
# The inline markup a message may carry; anything else between < and > is text (`<id>`).
TAG = re.compile(
    r"</?(?:a|abbr|b|br|cite|code|del|em|i|ins|kbd|mark|p|q|small|span|strong|sub|sup|time|u)\b"
)


def _key(message: Message) -> tuple[str | None, str]:
    """A message is known by its context and its singular (its plural may change with it)."""
    singular = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, singular


def _forms(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _mismatches(message: Message, entry: Message) -> list[str]:
    """What a translation's placeholders and tags get wrong, compared with the message's."""
    sources = _forms(message.id)
    found = []
    allowed = set().union(*(PLACEHOLDER.findall(source) for source in sources))
    for index, translation in enumerate(_forms(entry.string)):
        used = PLACEHOLDER.findall(translation)
        unknown = sorted(set(used) - allowed)
        if unknown:
            found.append(f"unknown placeholder {', '.join(unknown)}")
        # A singular may drop the number ("one contribution"); any other form keeps them all.
        source = sources[min(index, len(sources) - 1)]
        if len(sources) == 1 or index > 0:
            lost = sorted(set(PLACEHOLDER.findall(source)) - set(used))
            if lost:
                found.append(f"placeholder {', '.join(lost)} left out")
        if Counter(TAG.findall(translation)) != Counter(TAG.findall(source)):
            found.append("HTML tags differ")
    if len(sources) > 1 and isinstance(entry.string, str):
        found.append("plural message translated as a single form")
    return found


def problems(template_path: str, catalogue_path: str) -> list[str]:
    """One line per missing, obsolete, fuzzy, empty or malformed entry of the catalogue."""
    with open(template_path, "rb") as file:
        template = read_po(file)
    with open(catalogue_path, "rb") as file:
        catalogue = read_po(file)
    wanted = {_key(m): m for m in template if m.id}
    held = {_key(m): m for m in catalogue if m.id}
    found = []
    for key, message in wanted.items():
        where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
        name = repr(key[1]) if key[0] is None else f"{key[1]!r} (context {key[0]!r})"
        entry = held.get(key)
        if entry is None:
            found.append(f"missing: {name} ({where})")
        elif entry.fuzzy:
            found.append(f"fuzzy: {name} ({where})")
        elif not all(_forms(entry.string)):
            found.append(f"empty: {name} ({where})")
        elif _forms(entry.id) != _forms(message.id):
            found.append(f"plural changed: {name} ({where})")
        else:
            found.extend(f"wrong: {name}: {what} ({where})" for what in _mismatches(message, entry))
    for key in sorted(held.keys() - wanted.keys(), key=lambda k: (k[0] or "", k[1])):
        found.append(f"obsolete: {key[1]!r}")
    return found


def main(arguments: list[str]) -> int:
    """Print each catalogue's problems; 1 when any catalogue has one."""
    template, *catalogues = arguments
    failed = False
    for catalogue in catalogues:
        found = problems(template, catalogue)
        for problem in found:
            print(f"{catalogue}: {problem}")
        if found:
            failed = True
            print(
                f"{catalogue}: {len(found)} problems; run `make translations-update`, "
                "then translate the new and empty entries",
                file=sys.stderr,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
