"""Translatable words of the code: enum labels and the French they are written in.

The interface is written in French; the catalogue (consultation/translations/) gives other
languages. A label table holds French source strings marked with `N_` (extracted, not
translated: `make translations-update` finds them); an enum's `label` looks its French up in the
reader's language when shown (`label`), and its `label_fr` stays the French source, for what is
certified or machine-read in French whatever the reader's language: the open-data files, the
tamper-evident record, the synthesis text itself.

A message made when shown (an error, a flash) goes through `gettext` where it is made; a
module-level constant shown to people through `lazy_gettext`. Outside a request (CLI commands,
jobs, tests) both give the French source: the locale selector answers French there.
"""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString, get_locale, gettext

__all__ = ["N_", "LazyString", "LazyText", "_l", "interface_locale", "lazy"]


class LazyText(LazyString):  # type: ignore[misc]  # Flask-Babel is untyped
    """Flask-Babel's lazy string, but text rather than markup: Flask-Babel's has `__html__`,
    so Jinja would insert it (and a translator's quotes or angle brackets) unescaped."""

    def __getattribute__(self, name: str) -> Any:
        if name == "__html__":
            raise AttributeError(name)
        return super().__getattribute__(name)


def N_(message: str) -> str:
    """`message` itself, marked for the catalogue (a French label kept for certified outputs)."""
    return message


def lazy(message: str, **variables: Any) -> LazyString:
    """`message` (a French source string) in the language of whoever reads it, when read, its
    `%(name)s` placeholders filled from `variables` (an e-mail's subject, read in the
    recipient's language by core.mail)."""
    return LazyText(gettext, message, **variables)


# For a literal: `_l("…")` is extracted (the Makefile's `-k _l`), `lazy(variable)` is not.
_l = lazy


def interface_locale() -> str:
    """The language the interface is shown in now: the request's, French outside one."""
    locale = get_locale()
    return str(locale.language) if locale is not None else "fr"
