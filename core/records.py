"""Records read without their prefetches, for pages whose cards mostly come from the cache."""


class Records(list):
    """Records read without the prefetches of their queryset, which `content_fragments` runs only
    for the records whose fragment it has to render."""

    def __init__(self, records, prefetches=()):
        super().__init__(records)
        self.prefetches = prefetches


def without_prefetches(queryset):
    """The records of `queryset`, read without its prefetches: a list shows its cards from the
    cache, and only a card to render needs what they bring (a case card's practices)."""
    # A queryset keeps its prefetch lookups there; prefetch_related(None) forgets them.
    return Records(queryset.prefetch_related(None), queryset._prefetch_related_lookups)


def card_prefetches(records):
    """What the cards of `records` read across relations: their queryset's prefetches, or for
    records reached through a relation (a practice's cases), what their model's lists read."""
    if hasattr(records, "prefetches"):
        return records.prefetches
    queryset = type(records[0])._default_manager.all()
    return queryset.for_list()._prefetch_related_lookups if hasattr(queryset, "for_list") else ()
