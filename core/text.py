"""Text normalisation shared by search on every database."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Ligatures that NFKD leaves whole; "cœur" must match "coeur".
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: fold("ÉCOLE  Cœur") == "ecole coeur"."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", text.casefold()).strip()


def search_terms(query: str, max_terms: int = 10) -> list[str]:
    """The words of a visitor's query, folded; punctuation and NUL bytes dropped."""
    words = re.findall(r"\w+", fold(query.replace("\x00", " ")))
    return words[:max_terms]
