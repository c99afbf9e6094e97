"""`/carte/`: cases by région or département, as a clickable choropleth beside its table.

The map is server-rendered SVG: each area is a link to the case list filtered on it, with its
count in its title (the tooltip) and in the table, which is the accessible form of the map.
"""

import json
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from cases.models import CaseStudy, Territory
from core.text import fold
from transfo.typography import french_typography

GEODATA = Path(__file__).resolve().parent / "geodata" / "france.json"
# Classes of the colour scale, lightest to darkest; 0 has its own.
STEPS = 5


@cache
def geodata():
    return json.loads(GEODATA.read_text(encoding="utf-8"))


def step(count, highest):
    """The colour class of a count: 0 apart, then STEPS even bands, the highest in the last."""
    if not count:
        return 0
    return min(STEPS, -(-count * STEPS // max(highest, 1)))


def count_by(field):
    rows = (
        CaseStudy.objects.visible()
        .exclude(**{f"territory__{field}": ""})
        .exclude(**{f"territory__{field}__isnull": True})
        .order_by()
        .values_list(f"territory__{field}")
        .annotate(n=Count("pk", distinct=True))
    )
    return {fold(name): (name, n) for name, n in rows}


def case_list_url(**filters):
    return f"{reverse('cases:list')}?{urlencode(filters)}"


# 100 kB of outlines compress to about a third; the rest of the site's pages are small.
@gzip_page
@french_typography
@require_safe
def case_map(request):
    level = "departement" if request.GET.get("niveau") == "departement" else "region"
    data = geodata()
    counts = count_by(level)
    areas, seen = {}, set()
    for departement in data["departements"]:
        name = departement["name"] if level == "departement" else departement["region"]
        key = fold(name)
        area = areas.setdefault(
            key,
            {
                "name": counts.get(key, (name, 0))[0],
                "code": departement["code"]
                if level == "departement"
                else departement["region_code"],
                "count": counts.get(key, (name, 0))[1],
                "paths": [],
            },
        )
        area["paths"].append(departement["path"])
        seen.add(key)
    highest = max((area["count"] for area in areas.values()), default=0)
    for area in areas.values():
        area["step"] = step(area["count"], highest)
        area["url"] = case_list_url(**{level: area["name"]}) if area["count"] else ""
    # Places with cases that the map of metropolitan France does not draw (overseas).
    off_map = [
        {"name": name, "count": n, "url": case_list_url(**{level: name})}
        for key, (name, n) in sorted(counts.items())
        if key not in seen
    ]
    abroad = (
        CaseStudy.objects.visible()
        .in_territory_kind(Territory.Kind.ABROAD)
        .select_related("territory")
        .order_by("territory__name", "title")
    )
    context = {
        "level": level,
        "view_box": data["viewBox"],
        "areas": sorted(areas.values(), key=lambda area: fold(area["name"])),
        "by_count": sorted(areas.values(), key=lambda area: (-area["count"], fold(area["name"]))),
        "off_map": off_map,
        "abroad": abroad,
        "highest": highest,
        "steps": range(1, STEPS + 1),
        "credits": data["credits"],
    }
    return render(request, "map.html", context)
