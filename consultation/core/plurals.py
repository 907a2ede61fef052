"""Plurals by the rule of the language shown.

The interface is written in French and has no French catalogue: gettext's fallback for an
untranslated message picks the singular for 1 only (English's rule), where French (CLDR) puts
0 and 1 in the singular — « 0 mitigé », « 1 mitigé », « 2 mitigés ». `ngettext` applies the
French rule when the page is in French and leaves other languages to their catalogue.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, get_translations


def ngettext(singular: str, plural: str, num: int) -> str:
    """The form of the message for `num`, untranslated in French, from the catalogue else."""
    locale = get_locale()
    if locale is None or locale.language == "fr":
        return singular if abs(num) < 2 else plural
    text: str = get_translations().ungettext(singular, plural, num)
    return text


def install(app: Flask) -> None:
    """Templates' `ngettext` follows `ngettext` above (the other callables stay Flask-Babel's)."""
    # Added to the environment by Jinja's i18n extension, which Flask-Babel enables: unknown to
    # the type of Environment.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=ngettext,
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
