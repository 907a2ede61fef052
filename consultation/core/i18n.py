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

from collections.abc import Callable
from typing import Any

from babel.numbers import format_decimal
from flask_babel import LazyString, get_locale, get_translations, gettext
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from consultation.core import plurals

__all__ = [
    "N_",
    "LazyString",
    "LazyText",
    "_l",
    "interface_locale",
    "lazy",
    "lazy_ngettext",
    "number",
]


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


def _plural_text(singular: str, plural: str, num: int, **variables: Any) -> str:
    return plurals.ngettext(singular, plural, num) % {"num": num, **variables}


def lazy_ngettext(singular: str, plural: str, num: int, **variables: Any) -> LazyString:
    """As `lazy`, for a message built from a count: the form for `num` by the plural rule of
    the reader's language (`core.plurals`), its `%(num)s` and other placeholders filled."""
    return LazyText(_plural_text, singular, plural, num, **variables)


def interface_locale() -> str:
    """The language the interface is shown in now: the request's, French outside one."""
    locale = get_locale()
    return str(locale.language) if locale is not None else "fr"


def number(n: int) -> str:
    """`n` written for the reader, thousands apart in the way of the interface's language:
    « 10 000 » (a narrow no-break space) in French, "10,000" in English."""
    return format_decimal(n, locale=get_locale() or "fr")


class NumberWhenShown:
    """A number read, and written for the reader (`number`), each time a message shows it: a
    form's hint, made once at import, then states the limit of the moment, in the reader's
    language (`_l("%(n)s caractères au maximum.", n=NumberWhenShown(lambda: limits.BODY_MAX))`)."""

    def __init__(self, read: Callable[[], int]) -> None:
        self.read = read

    def __str__(self) -> str:
        return number(self.read())


def page_translations() -> dict[str, Callable[..., str]]:
    """The templates' `gettext` and `ngettext` for one page, which translate each message once
    however many cards repeat it (Flask-Babel looks up the request's catalogue at every call).
    They behave as Jinja's new-style callables: escaped when autoescaping, always formatted.
    Passed to `render_template`, they take the place of the environment's for that page."""
    translations = get_translations()
    texts: dict[str, str] = {}
    plural_texts: dict[tuple[str, str, int], str] = {}

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        text = texts.get(string)
        if text is None:
            text = texts[string] = translations.ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", number(num))  # « 12 186 caractères », "12,186 characters"
        key = (singular, plural, num)
        text = plural_texts.get(key)
        if text is None:
            text = plural_texts[key] = plurals.ngettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return {"gettext": gettext, "ngettext": ngettext}
