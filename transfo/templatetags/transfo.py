"""The site's identity in templates: one icon and colour per record type, French typography."""

import functools
import re

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from core.cache import content_cached, content_fragments
from core.listing import PartNotKept
from transfo.citations import citation_text

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


@functools.cache
def sprite_url():
    # The static files' manifest does not change while the server runs; a page draws dozens of
    # icons.
    return static("img/icons.svg")


# What `{% layout %}` rendered, by node and what it varies on. The node, not its name: a template
# edited under `runserver` is parsed again into new nodes, and shows its new text at once.
LAYOUT_PARTS = {}
# The variants a site really has are a few dozen; the address prefix can come from a request
# header (gunicorn's SCRIPT_NAME through a trusted proxy), so the store is bounded all the same.
LAYOUT_PARTS_MAX = 500


@receiver(setting_changed)
def forget_layout(**kwargs):
    LAYOUT_PARTS.clear()


class LayoutNode(template.Node):
    def __init__(self, nodelist, name, varies_on):
        self.nodelist, self.name, self.varies_on = nodelist, name, varies_on

    def render(self, context):
        key = (
            self,
            get_language(),
            get_script_prefix(),
            *(value.resolve(context) for value in self.varies_on),
        )
        part = LAYOUT_PARTS.get(key)
        if part is None:
            # Kept in a local: another thread may empty the store between these lines.
            part = self.nodelist.render(context)
            if len(LAYOUT_PARTS) >= LAYOUT_PARTS_MAX:
                LAYOUT_PARTS.clear()
            LAYOUT_PARTS[key] = part
        return part


@register.tag
def layout(parser, token):
    """`{% layout "name" value… %}…{% endlayout %}`: a part of the page layout that shows no
    content and nothing of the visitor (menus, footer, links to assets), rendered once per server
    process for each of its few variants — the values named after it, the language and the site's
    address prefix. Its translations and address lookups cost more than a list's cards.
    Never put in it a record, a count, the visitor's input or anything with unbounded variants."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% layout %} demande un nom.")
    nodelist = parser.parse(("endlayout",))
    parser.delete_first_token()
    return LayoutNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])


def named_block(parser, token):
    """`{% tag "name" %}…{% endtag %}`: (its content, its name)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{{% {bits[0]} %}} demande un nom.")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return nodelist, bits[1].strip("\"'")


class KeptPartNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        view = context.get("view")
        kept = getattr(view, "kept_parts", None)
        if kept is not None:
            if self.name not in kept:
                raise PartNotKept(self.name)
            return kept[self.name]
        part = self.nodelist.render(context)
        new = getattr(view, "new_parts", None)
        if new is not None:
            new[self.name] = part
        return part


@register.tag
def kept_part(parser, token):
    """`{% kept_part "name" %}…{% endkept_part %}`: a part of a page that shows only the content
    (a record's title, description and body; a list's filters, counts and cards), kept by its
    view (`core.listing.KeptPartsMixin`) until the content changes. Nothing of the visitor
    inside, except what the view's key holds. In the page of another view, it shows its content
    as it is."""
    return KeptPartNode(*named_block(parser, token))


class ContentPartNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        name = f"part:{self.name}:{get_language()}"
        return content_cached(request, name, lambda: self.nodelist.render(context))


@register.tag
def content_part(parser, token):
    """`{% content_part "name" %}…{% endcontent_part %}`: a part of a page that shows the content
    and nothing else (counts, cards: nothing of the visitor, of the address or of the day), kept
    in the cache until the content changes. What the view gives it lazily is read on a miss only."""
    return ContentPartNode(*named_block(parser, token))


NAV_SECTIONS = {"cas", "pratiques", "formations", "pistes", "orientations", "carte", "sources"}


@register.filter
def nav_section(path):
    """The menu entry a page belongs to (the first segment of its address), or ""."""
    section = str(path).strip("/").split("/", 1)[0]
    return section if section in NAV_SECTIONS else ""


@register.simple_tag
def icon(name, css_class="icon"):
    """An icon of the sprite, hidden from screen readers: the text beside it says the same."""
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        css_class,
        sprite_url(),
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


@register.simple_tag(takes_context=True)
def cards(context, records, template_name):
    """The records' cards (`{% cards records template as rendered %}`), rendered once per content:
    a card shows only its record and what it links to, whatever the page around it."""

    def render(record):
        return render_to_string(template_name, {"object": record})

    request = context.get("request")
    if request is None:
        return [render(record) for record in records]
    return content_fragments(request, template_name, records, render)


@register.filter
def record_type(value):
    """The record type key (« cas », « pratique »…) of a record, a model or a queryset."""
    model = getattr(value, "model", None) or value
    meta = getattr(model, "_meta", None)
    return MODEL_TYPES.get(meta.model_name, "") if meta else ""


@register.simple_tag
def citation(record, url, consulted):
    return citation_text(record, url, consulted)


BULLET = re.compile(r"^\s*(?:[-–—•·*]|\d+[.)])\s+")


@register.filter
def paragraphs(text):
    """Editors' text as HTML: lines that start with a dash or a bullet become a real list,
    blank lines separate paragraphs, other line breaks are kept. Every piece of text is
    escaped by format_html."""
    blocks, items, lines = [], [], []

    def close_paragraph():
        if lines:
            shown = format_html_join("", "{}<br>", ((line,) for line in lines[:-1]))
            blocks.append(format_html("<p>{}{}</p>", shown, lines[-1]))
            lines.clear()

    def close_list():
        if items:
            blocks.append(
                format_html(
                    "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items))
                )
            )
            items.clear()

    for line in str(text or "").replace("\r\n", "\n").split("\n"):
        if not line.strip():
            close_paragraph()
            close_list()
        elif BULLET.match(line):
            close_paragraph()
            items.append(BULLET.sub("", line, count=1).strip())
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()
        else:
            close_list()
            lines.append(line.strip())
    close_paragraph()
    close_list()
    return format_html_join("", "{}", ((block,) for block in blocks))
