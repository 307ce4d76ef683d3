"""Django's stock widget templates rendered in Python, byte for byte (and the DKFDS field
template, ssp/field_rendering.py).

A form page renders one `select_option.html` (and its `attrs.html`) per option of every
select, and `radio_option.html` → `input_option.html` → `input.html` → `attrs.html` per radio
button and checkbox: a form with a few long choice lists spends most of its server time in
these tiny includes (docs/benchmarks.md, "The form pages"). The functions here write the same
markup directly, escaping every value exactly as the template engine's autoescape does;
tests/ssp/test_widget_rendering.py pins them to the templates. A widget with any other
template (or a select with a custom option template) is rendered by its template as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.formats import localize
from django.utils.safestring import SafeData, SafeString, mark_safe

from ssp.escaping import conditional_escape, escape
from ssp.field_rendering import FIELD_TEMPLATE, render_dkfds_field

_WIDGETS = "django/forms/widgets/"
_SELECT_OPTION = f"{_WIDGETS}select_option.html"


def _var(value: Any) -> str:
    """`{{ value }}` under autoescape."""
    return conditional_escape(localize(value))


def _stringformat(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape (the filter keeps safe input safe)."""
    if isinstance(value, tuple):
        value = str(value)
    return str(value) if isinstance(value, SafeData) else escape(value)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_var(name)}")
        else:
            parts.append(f' {_var(name)}="{_stringformat(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    value_attr = f' value="{_stringformat(value)}"' if value != None else ""  # noqa: E711
    return (
        f'<input type="{_var(widget["type"])}" name="{_var(widget["name"])}"'
        f"{value_attr}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input_option.html (a radio button or checkbox of a list)."""
    tag = _input(widget)
    if not widget.get("wrap_label"):
        return f"{tag}\n"
    option_id = widget["attrs"].get("id")
    label_for = f' for="{_var(option_id)}"' if option_id else ""
    return f"<label{label_for}>{tag} {_var(widget['label'])}</label>\n"


def _select_option(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/select_option.html."""
    return (
        f'<option value="{_stringformat(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_var(widget['label'])}</option>\n"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/select.html, or None when an option has its own template."""
    parts = [f'<select name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_var(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != _SELECT_OPTION:
                return None
            parts.append(f"\n  {_select_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    text = _var(value) if value else ""
    return f'<textarea name="{_var(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>\n'


# The stock templates that are `{% include "django/forms/widgets/input.html" %}` and a newline.
_INPUT_TEMPLATES = (
    *("checkbox", "color", "date", "datetime", "email", "file", "hidden"),
    *("number", "password", "search", "tel", "text", "time", "url"),
)

_RENDERERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    f"{_WIDGETS}input.html": _input,
    **{f"{_WIDGETS}{name}.html": lambda widget: f"{_input(widget)}\n" for name in _INPUT_TEMPLATES},
    f"{_WIDGETS}input_option.html": _input_option,
    f"{_WIDGETS}radio_option.html": lambda widget: f"{_input_option(widget)}\n",
    f"{_WIDGETS}checkbox_option.html": lambda widget: f"{_input_option(widget)}\n",
    _SELECT_OPTION: _select_option,
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}textarea.html": _textarea,
}


def render_in_python(template_name: str, context: Any) -> SafeString | None:
    """The markup of a stock widget template or of the DKFDS field template for `context`,
    or None when it has no Python version here (the caller then renders the template)."""
    if template_name == FIELD_TEMPLATE and isinstance(context, dict) and set(context) == {"field"}:
        return mark_safe(render_dkfds_field(context["field"]).strip())  # noqa: S308 - escaped there
    render = _RENDERERS.get(template_name)
    if render is None or not isinstance(context, dict) or set(context) != {"widget"}:
        return None
    html = render(context["widget"])
    # BaseRenderer.render strips what a template gives; an include inside one is not stripped.
    return None if html is None else mark_safe(html.strip())  # noqa: S308 - every value escaped above
