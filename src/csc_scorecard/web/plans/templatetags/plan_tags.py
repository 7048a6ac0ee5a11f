"""Plans' display helpers: direction of an action in words (colour only repeats them), risk bands."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def plan_direction(code, label):
    css = {"achieved": "app-dir-up", "missed": "app-dir-down"}.get(str(code or ""), "app-dir-steady")
    return format_html('<span class="{}">{}</span>', css, label)


@register.simple_tag
def band_tag(colour, label):
    return format_html('<strong class="govuk-tag govuk-tag--{} app-rag">{}</strong>', colour, label)


@register.simple_tag
def overdue_tag():
    return mark_safe('<strong class="govuk-tag govuk-tag--red app-rag">Overdue</strong>')
