"""templates/forms/dkfds_field.html written in Python, byte for byte.

Every field of every form is rendered with the DKFDS field template, some thirty times on the
concern form; resolving its variables is most of what is left of a form page's server time
once the widgets are written in Python (ssp/widget_rendering.py). The template stays the
reference: tests/ssp/test_widget_rendering.py compares this with it for every widget kind,
blank and with errors, and whole form pages. A change to the template must be made here too
(the tests say so when it is not).
"""

from __future__ import annotations

from typing import Any

from django.forms import BoundField
from django.utils.formats import localize
from django.utils.translation import gettext

from ssp.escaping import conditional_escape

FIELD_TEMPLATE = "forms/dkfds_field.html"


def _var(value: Any) -> str:
    """`{{ value }}` under autoescape."""
    return conditional_escape(localize(value))


def _errors(field: BoundField) -> str:
    """The error message line (`{{ field.errors|join:" " }}` under autoescape)."""
    if not field.errors:
        return ""
    messages = " ".join(conditional_escape(message) for message in field.errors)
    return (
        f'<span class="form-error-message" id="{_var(field.auto_id)}-error">'
        f'<span class="sr-only">{_var(gettext("Fejl"))}: </span>{messages}</span>'
    )


def _hint(field: BoundField) -> str:
    if not field.help_text:
        return ""
    return f'<span class="form-hint" id="{_var(field.auto_id)}_helptext">{field.help_text}</span>'


def _optional(field: BoundField) -> str:
    """What the label adds when a field is needed only sometimes, or never."""
    required_when = getattr(field.field, "required_when", None)
    if required_when:
        return f'<span class="weight-normal"> ({_var(required_when)})</span>'
    if not field.field.required:
        return f'<span class="weight-normal"> ({_var(gettext("frivilligt"))})</span>'
    return ""


def _error_class(field: BoundField) -> str:
    return " form-error" if field.errors else ""


def _checkbox(field: BoundField) -> str:
    return (
        f'<div class="form-group{_error_class(field)}">\n'
        f"  {_errors(field)}\n"
        f'  <div class="form-group-checkbox">\n'
        f"    {field}\n"
        f'    <label class="form-label" for="{_var(field.auto_id)}">{_var(field.label)}</label>\n'
        f"  </div>\n"
        f"  {_hint(field)}\n"
        f"</div>\n"
    )


def _choice_list(field: BoundField) -> str:
    auto_id = _var(field.auto_id)
    described = f' aria-describedby="{auto_id}_helptext"' if field.help_text else ""
    item_class = "form-group-radio" if field.widget_type == "radioselect" else "form-group-checkbox"
    items = "".join(
        f'<li class="{item_class}">{choice.tag()}<label class="form-label" '
        f'for="{_var(choice.id_for_label)}">{_var(choice.choice_label)}</label></li>'
        for choice in field
    )
    return (
        f'<fieldset class="form-group{_error_class(field)}" id="{auto_id}"{described}>\n'
        f'  <legend class="form-label">{_var(field.label)}{_optional(field)}</legend>\n'
        f"  {_hint(field)}\n"
        f"  {_errors(field)}\n"
        f'  <ul class="nobullet-list">{items}</ul>\n'
        f"</fieldset>\n"
    )


def _single(field: BoundField) -> str:
    return (
        f'<div class="form-group{_error_class(field)}">\n'
        f'  <label class="form-label" for="{_var(field.auto_id)}">'
        f"{_var(field.label)}{_optional(field)}</label>\n"
        f"  {_hint(field)}\n"
        f"  {_errors(field)}\n"
        f"  {field}\n"
        f"</div>\n"
    )


def render_dkfds_field(field: BoundField) -> str:
    """The markup templates/forms/dkfds_field.html gives for `field`."""
    widget_type = field.widget_type
    if widget_type == "checkbox":
        return _checkbox(field)
    if widget_type in ("checkboxselectmultiple", "radioselect"):
        return _choice_list(field)
    return _single(field)
