"""Small display helpers: the RAG and direction as GOV.UK tags (words always, colour as well)."""

from django import template
from django.utils.html import format_html

register = template.Library()

RAG_TAGS = {"R": ("red", "Red"), "A": ("orange", "Amber"), "G": ("green", "Green"), "B": ("blue", "Blue")}


@register.simple_tag
def rag_tag(code, label=""):
    if code not in RAG_TAGS:
        return format_html('<span class="app-not-rated">{}</span>', label or "Not rated")
    colour, word = RAG_TAGS[code]
    # the tag holds the word; the reason ("off target but within tolerance") follows as text
    head, _, why = (label or word).partition(": ")
    if not why:
        return format_html('<strong class="govuk-tag govuk-tag--{} app-rag">{}</strong>', colour, head)
    return format_html('<strong class="govuk-tag govuk-tag--{} app-rag">{}</strong>'
                       '<span class="app-rag-why">: {}</span>', colour, head, why)


@register.simple_tag
def direction_text(code, label=""):
    css = {"improving": "app-dir-up", "declining": "app-dir-down"}.get(str(code or ""), "app-dir-steady")
    return format_html('<span class="{}">{}</span>', css, label or "No previous figure")


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


COLUMN_HEADINGS = {"child_id": "Child", "in_numerator": "In the numerator",
                   "in_denominator": "In the denominator"}


@register.filter
def column_heading(name):
    """A child list's column name as a heading: child_id -> Child, in_numerator -> In the numerator."""
    return COLUMN_HEADINGS.get(name, str(name).replace("_", " ").capitalize())
