"""No form of the site cuts what a person types or pastes: no field carries a `maxlength`
attribute (a browser silently drops what goes beyond it); lengths are checked on the server
(`core.forms.MaxChars`), which keeps the whole text in the box with a French message."""

import importlib
import pkgutil
from pathlib import Path

import consultation
from consultation.core.forms import Form


def _forms() -> list[type]:
    for module in pkgutil.walk_packages(consultation.__path__, "consultation."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [Form]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.append(subclass)
            todo.append(subclass)
    return found


def test_no_field_of_any_form_has_a_maxlength(app):
    forms = _forms()
    assert len(forms) > 15
    with app.test_request_context("/"):
        for form_class in forms:
            form = form_class(meta={"csrf": False})
            for field in form:
                try:
                    html = str(field())
                except TypeError:  # a field that needs arguments to render (none today)
                    continue
                assert "maxlength" not in html, f"{form_class.__name__}.{field.name}"


def test_no_template_puts_a_maxlength_on_a_field():
    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "maxlength" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_a_text_over_its_limit_comes_back_whole_with_the_count(app):
    from consultation.moderation.forms import ReportForm

    text = "é" * 1001
    with app.test_request_context("/", method="POST", data={"reason": "spam", "details": text}):
        form = ReportForm(meta={"csrf": False})
        assert not form.validate()
        assert form.details.data == text
        assert "1 001 caractères" in form.details.errors[0].replace("\u202f", " ")
