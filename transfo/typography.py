"""French typography on every public page: no line ever starts with « ; : ! ? » or a closing
guillemet, because they are tied to the word before by a no-break space.

Applied to the text between tags of the HTML the site sends, so that editors' texts, the
reports' quotations and the templates' own strings all follow it, without anyone typing
no-break spaces. Attributes, scripts and preformatted text are left as they are.
"""

import re
from functools import lru_cache

from django.conf import settings

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
# The elements whose content is not prose.
NOT_PROSE = re.compile(
    r"(<(?:script|style|pre|code|textarea)\b.*?</(?:script|style|pre|code|textarea)>)", re.S | re.I
)
# A plain space (or none) before ; ! ? and », after «: a narrow no-break space, as the
# Imprimerie nationale's rules for the web are usually read; before a colon a full one.
BEFORE_PUNCTUATION = re.compile(r"(?<![\s(])[ \u00a0]?([;!?])(?=\s|$|&)")
BEFORE_COLON = re.compile(r"(?<![\s(])[ \u202f]?:(?=\s|$)")
AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]*")
BEFORE_CLOSING = re.compile(r"[ \u00a0\u202f]*»")
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/")


# A character reference (« &gt; », « &#x27; ») ends with a semicolon that is not punctuation.
ENTITIES = re.compile(r"(&#?\w+;)")
# Most text between tags is only indentation: the rules run only where one of these is.
PUNCTUATION = re.compile(r"[;!?:«»]")
# A text after a tag's « > », up to the next « < », that holds one of them: the texts without are
# passed over in one scan of the page (possessive, so that a long one is never read twice).
TEXT_WITH_PUNCTUATION = re.compile(r">([^<;!?:«»]*+[;!?:«»][^<]*+)")


def french_spacing(text):
    parts = ENTITIES.split(text)
    # Odd indexes are character references, left whole.
    return "".join(part if index % 2 else spaced(part) for index, part in enumerate(parts))


def spaced(text):
    text = BEFORE_PUNCTUATION.sub(NARROW_NBSP + r"\1", text)
    text = BEFORE_COLON.sub(NBSP + ":", text)
    text = AFTER_OPENING.sub("«" + NARROW_NBSP, text)
    return BEFORE_CLOSING.sub(NARROW_NBSP + "»", text)


# A page asked again is the same HTML (its parts kept by its view): its typography is looked up,
# not worked out again (a 45 kB page costs a fifth of its request).
@lru_cache(maxsize=32)
def french_html(html):
    parts = NOT_PROSE.split(html)
    # Even indexes are prose with its tags, odd ones the elements whose content is not prose.
    for index in range(0, len(parts), 2):
        # The text before the first tag, then each text after a tag.
        text, tag, rest = parts[index].partition("<")
        if PUNCTUATION.search(text):
            text = french_spacing(text)
        parts[index] = text + tag + TEXT_WITH_PUNCTUATION.sub(_spaced_text, rest)
    return "".join(parts)


def _spaced_text(match):
    return ">" + french_spacing(match.group(1))


def french_typography(view):
    """For a view whose response is then compressed: the middleware cannot read it any more."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.get("Content-Type", "").startswith("text/html"):
            response.content = french_html(response.content.decode(response.charset))
        return response

    return wrapped


class FrenchTypographyMiddleware:
    """Listed after the page cache middleware, so a cached page was already set once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(settings, "FRENCH_TYPOGRAPHY", True)
            and not response.streaming
            and not response.has_header("Content-Encoding")
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(SKIPPED_PREFIXES)
        ):
            response.content = french_html(response.content.decode(response.charset))
        return response
