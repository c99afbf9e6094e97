"""Text normalisation shared by search on every database.

Documents and queries go through the same functions, in Python, so that SQLite and PostgreSQL
index and look up exactly the same tokens: the databases only ever see folded, stemmed words.

- accents, case and ligatures folded: « Œuvre » → « oeuvre »;
- dotted acronyms joined: « F.I.E.R. » → « fier »;
- digit groups joined: « 9 001 » → « 9001 », « 1 240 » → « 1240 »;
- elided articles dropped (« l'école » → « ecole ») and other apostrophes removed
  (« Cit'ergie » → « citergie »);
- hyphenated words indexed both ways: « co-formation » → « co formation coformation »;
- a few French function words dropped, then French Snowball stemming (« budgets » and
  « budget » → « budget »).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from itertools import compress

import Stemmer
from django.utils.safestring import SafeString

_SPACES = re.compile(r"\s+")
# Ligatures that NFKD leaves whole; "cœur" must match "coeur".
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
# Typographic apostrophes and hyphens as the reports print them.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_HYPHENS = str.maketrans({"‐": "-", "‑": "-"})
# « F.I.E.R. », « R.S.A » (two letters at least, each followed by a dot).
_ACRONYM = re.compile(r"(?<![^\W_])((?:[^\W\d_]\.){2,}(?:[^\W\d_](?![^\W_]))?)")
# « 9 001 », « 1 240 », « 12 000 000 » (spaces, no-break spaces folded to spaces, or dots).
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ .]\d{3})+(?![\d])")
# A word with its inner hyphens and apostrophes: « co-formation », « Cit'ergie », « d'État ».
_CHUNK = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_WORD = re.compile(r"[^\W_]+")
_WORD_SPLIT = re.compile(r"([^\W_]+)")
# French elisions: « l'école », « qu'on », « jusqu'au ».
ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu".split())
# Function words that would make every document match; dropped from documents and queries.
STOP_WORDS = frozenset(
    """le la les un une des du de et ou au aux a en y ce cet cette ces son sa ses leur leurs
    se sur par pour dans avec que qui ne il elle ils elles on nous vous ou""".split()
)

_stemmer = Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: fold("ÉCOLE  Cœur") == "ecole coeur"."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", text.casefold()).strip()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The French stem of a folded word; numbers and words with digits stay as they are."""
    if any(c.isdigit() for c in word):
        return word
    return _stemmer.stemWord(word)


def prepare(text: str) -> str:
    """Folded text with acronyms and digit groups joined, apostrophes and hyphens unified."""
    text = (text or "").replace("\x00", " ").translate(_APOSTROPHES).translate(_HYPHENS)
    text = fold(text)
    text = _ACRONYM.sub(lambda m: m.group(1).replace(".", ""), text)
    return _DIGIT_GROUPS.sub(lambda m: re.sub(r"[ .]", "", m.group(0)), text)


def _part_words(part: str) -> list[str]:
    """« d'etat » → ["etat"]; « cit'ergie » → ["citergie"]; « aujourd'hui » → ["aujourdhui"]."""
    pieces = part.split("'")
    while len(pieces) > 1 and pieces[0] in ELISIONS:
        pieces = pieces[1:]
    return ["".join(pieces)] if pieces[0] else []


@dataclass(frozen=True)
class Chunk:
    """One word as written: its words (several for a hyphenated word) and its glued form."""

    words: tuple[str, ...]
    glued: str
    end: int

    @property
    def is_compound(self):
        return len(self.words) > 1


def chunks(text: str) -> list[Chunk]:
    """The words of a text, each hyphenated word kept together, function words dropped."""
    found = []
    for match in _CHUNK.finditer(prepare(text)):
        words = [word for part in match.group(0).split("-") for word in _part_words(part)]
        meaningful = tuple(word for word in words if word not in STOP_WORDS)
        if not meaningful:
            continue
        found.append(Chunk(meaningful, "".join(words), match.end()))
    return found


def index_tokens(text: str) -> list[str]:
    """The tokens a document is indexed under, in order: « co-formation » gives the stems of
    « co », « formation » and « coformation », so that both spellings find it."""
    tokens = []
    for chunk in chunks(text):
        tokens.extend(stem(word) for word in chunk.words)
        if chunk.is_compound:
            tokens.append(stem(chunk.glued))
    return tokens


def index_text(text: str) -> str:
    """The tokens as one space-separated string, the form both databases index."""
    return " ".join(index_tokens(text))


def search_terms(query: str, max_terms: int = 10) -> list[str]:
    """The words of a visitor's query, folded; punctuation and NUL bytes dropped."""
    words = _WORD.findall(fold((query or "").replace("\x00", " ")))
    return words[:max_terms]


@lru_cache(maxsize=100_000)
def token(word: str) -> str:
    """The indexed form of one printed word."""
    return stem(fold(word))


def highlight(text: str, stems: set[str], width: int = 30, require_match: bool = False):
    """A short excerpt of `text` around its first matched word, every matched word in <mark>
    ("" when `require_match` and no word matches).

    Everything else is escaped: the excerpt is safe to show whatever the text holds.
    """
    # [text before the first word, word, text between, word, …, text after the last word]:
    # one call, no match object per word (the search page shows dozens of excerpts).
    parts = _WORD_SPLIT.split(text or "")
    count = len(parts) // 2
    if not count:
        return ""
    words = parts[1::2]
    matched = list(map(stems.__contains__, map(token, words)))
    first = matched.index(True) if True in matched else None
    if require_match and first is None:
        return ""
    start = max(0, (first or 0) - width // 3)
    end = min(count, start + width)
    pieces = ["… " if start or parts[0] else ""]
    # Word i is parts[2 i + 1]; the text between matched words is escaped in one piece (a
    # word holds no character to escape).
    position = 2 * start + 1
    for i in compress(range(start, end), matched[start:end]):
        pieces.append(escape("".join(parts[position : 2 * i + 1])))
        pieces.append(f"<mark>{words[i]}</mark>")
        position = 2 * i + 2
    if end < count:
        pieces.append(escape("".join(parts[position : 2 * end])))
        pieces.append(" …")
    else:
        pieces.append(escape("".join(parts[position:-1]) + parts[-1].rstrip()))
    return SafeString("".join(pieces))  # nosec B703: every piece is escaped above
