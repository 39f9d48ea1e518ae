"""``{% form_fields form %}``: a form's fields as ``includes/form_fields.html`` lays them out, with the visible
fields of a form that looks the same to everyone kept in the cache.

Rendering a field goes through several widget templates; a pledge form costs more than the rest of its page's
panel. A form opts in with ``kept_as()``, returning what changes how its empty fields look (e.g. whether money
may be pledged); it must not show anything of the person. Only an unbound form is kept: one with data or
errors, and every hidden field (which carry per-render keys), is rendered each time.
"""

from django import forms, template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.pagecache import shared_fragment

register = template.Library()


@register.simple_tag
def form_fields(form) -> str:
    kept_as = getattr(form, "kept_as", None)
    if form.is_bound or kept_as is None:
        return render_to_string("includes/form_fields.html", {"form": form})
    hidden = "".join(_hidden_input(field) for field in form.hidden_fields())
    visible = shared_fragment("form-fields", f"{type(form).__module__}.{type(form).__qualname__}", form.prefix,
                              form.auto_id, *kept_as(),
                              render=lambda: render_to_string("includes/visible_fields.html", {"form": form}))
    return mark_safe(hidden + visible)  # noqa: S308 (rendered by the template engine, escaped there)


def _hidden_input(field) -> str:
    """What Django's ``hidden.html`` widget template gives for a plain hidden input, without three templates."""
    widget = field.field.widget
    if type(widget) is not forms.HiddenInput:
        return str(field)
    attrs = field.build_widget_attrs(dict(widget.attrs))
    if field.auto_id and "id" not in widget.attrs:
        attrs["id"] = field.auto_id
    value = widget.format_value(field.value())
    shown = format_html(' value="{}"', value) if value is not None else ""
    return format_html('<input type="hidden" name="{}"{}{}>', field.html_name, shown, flatatt(attrs))
