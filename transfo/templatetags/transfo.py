"""The site's identity in templates: one icon and colour per record type, French typography."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

# Record type → (label, label of many). The CSS gives each type its colour (.type-<key>).
RECORD_TYPES = {
    "cas": ("Cas", "cas"),
    "pratique": ("Pratique", "pratiques"),
    "formation": ("Formation", "formations"),
    "piste": ("Piste", "pistes"),
    "orientation": ("Orientation", "orientations"),
    "source": ("Rapport", "rapports"),
    "territoire": ("Territoire", "territoires"),
}


@register.simple_tag
def icon(name, css_class="icon"):
    """An icon of the sprite, hidden from screen readers: the text beside it says the same."""
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        css_class,
        static("img/icons.svg"),
        name,
    )


@register.simple_tag
def type_badge(kind):
    label = RECORD_TYPES[kind][0]
    return format_html(
        '<span class="type-badge type-{}">{}{}</span>', kind, icon(kind, "icon icon-sm"), label
    )


def number(value):
    """Thousands grouped by a narrow no-break space, as French typography wants: 10 000."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return value
    return f"{value:,}".replace(",", "\u202f")


register.filter("nombre", number)


@register.simple_tag
def count_of(value, singular, plural):
    """« 0 résultat », « 1 résultat », « 2 résultats »: French takes the singular below 2."""
    try:
        many = int(value) > 1
    except (TypeError, ValueError):
        many = False
    return f"{number(value)}\u00a0{plural if many else singular}"


MODEL_TYPES = {
    "casestudy": "cas",
    "practice": "pratique",
    "training": "formation",
    "piste": "piste",
    "orientation": "orientation",
    "source": "source",
    "territory": "territoire",
}


@register.filter
def record_type(value):
    """The record type key (« cas », « pratique »…) of a record, a model or a queryset."""
    model = getattr(value, "model", None) or value
    meta = getattr(model, "_meta", None)
    return MODEL_TYPES.get(meta.model_name, "") if meta else ""
