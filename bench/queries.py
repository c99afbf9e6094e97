"""What visitors type, as the benchmarks search it: common words, several words, a typo, an
unfinished word, a hyphenated word, no match (`bench/search_latency.py`, `bench/measure.py`)."""

QUERIES = [
    "ecole",
    "budget participatif",
    "accueil des usagers",
    "transition écologique numérique",
    "tiers-lieu",
    "budg",
    "pesac",
    "numériqeu",
    "zzyzx",
    "commune 12",
]
