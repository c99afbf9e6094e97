"""Our territories matched to the Code officiel géographique (COG), as the npm package
`@etalab/decoupage-administratif` 6.0.0 ships it (Licence Ouverte): INSEE code, SIREN, official
type, département and région codes, population.

Matching is by name and département, never by guess: a name that fits two entries, or none,
is reported with its reason and left without an identity.
"""

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from core.text import fold

EPCI_TYPES = {
    "METRO": "Métropole",
    "MET69": "Métropole de Lyon",
    "CU": "Communauté urbaine",
    "CA": "Communauté d’agglomération",
    "CC": "Communauté de communes",
    "EPT": "Établissement public territorial",
}
# Words that name the kind of body rather than the body itself.
GENERIC_WORDS = set(
    "communaute d agglomeration de communes urbaine metropole ca cc cu ept departement region "
    "du de des la le les l d et".split()
)
# Population bands of the « taille de la collectivité » filter: (key, label, low, high).
POPULATION_BANDS = [
    ("moins-de-10000", "Moins de 10 000 habitants", 0, 10_000),
    ("10000-50000", "De 10 000 à 50 000 habitants", 10_000, 50_000),
    ("50000-200000", "De 50 000 à 200 000 habitants", 50_000, 200_000),
    ("200000-1000000", "De 200 000 à 1 million d’habitants", 200_000, 1_000_000),
    ("plus-de-1000000", "Plus d’un million d’habitants", 1_000_000, None),
]


@dataclass
class Identity:
    insee_code: str = ""
    siren: str = ""
    official_type: str = ""
    departement_code: str = ""
    region_code: str = ""
    population: int | None = None


def words(name):
    return set(re.findall(r"\w+", fold(name))) - GENERIC_WORDS


def bare(name):
    """« Saint-Denis (La Réunion) » → « saint-denis »; « Région Bretagne » → « bretagne »."""
    name = re.sub(r"\s*\(.*?\)\s*", " ", name)
    name = re.sub(
        r"^(département|region|région)\s+(de la |de l’|de l'|du |des |de )?", "", name, flags=re.I
    )
    return fold(name)


class Reference:
    def __init__(self, directory):
        directory = Path(directory)

        def load(name):
            return json.loads((directory / name).read_text(encoding="utf-8"))

        self.communes = [c for c in load("communes.json") if c["type"] == "commune-actuelle"]
        self.departements = {d["code"]: d for d in load("departements.json")}
        self.regions = {r["code"]: r for r in load("regions.json")}
        self.groupings = load("epci.json") + load("ept.json")
        self.departement_by_name = {fold(d["nom"]): d for d in self.departements.values()}
        self.region_by_name = {fold(r["nom"]): r for r in self.regions.values()}
        self.population_of_departement, self.population_of_region = {}, {}
        for commune in self.communes:
            population = commune.get("population") or 0
            for key, table in [
                (commune["departement"], self.population_of_departement),
                (commune["region"], self.population_of_region),
            ]:
                table[key] = table.get(key, 0) + population

    def match(self, territory):
        """(Identity, "") when found, (None, reason) when not."""
        kind = territory.kind
        departement = self.departement_by_name.get(fold(territory.departement))
        if kind == "commune":
            return self.match_commune(territory, departement)
        if kind in {"intercommunalite", "metropole"}:
            return self.match_grouping(territory, departement)
        if kind == "departement":
            found = self.departement_by_name.get(bare(territory.name)) or departement
            if not found:
                return None, "département inconnu du COG"
            return Identity(
                insee_code=found["code"],
                official_type="Département",
                departement_code=found["code"],
                region_code=found["region"],
                population=self.population_of_departement.get(found["code"]),
            ), ""
        if kind == "region":
            found = self.region_by_name.get(bare(territory.name))
            if not found:
                return None, "aucune région actuelle de ce nom (ancienne région ?)"
            return Identity(
                insee_code=found["code"],
                official_type="Région",
                region_code=found["code"],
                population=self.population_of_region.get(found["code"]),
            ), ""
        return None, f"pas une collectivité territoriale française (type « {kind} »)"

    def match_commune(self, territory, departement):
        if not departement:
            return None, "commune sans département connu"
        name = bare(territory.name)
        found = [
            c
            for c in self.communes
            if c["departement"] == departement["code"] and fold(c["nom"]) == name
        ]
        if len(found) != 1:
            return None, f"{len(found)} communes de ce nom dans le département"
        commune = found[0]
        return Identity(
            insee_code=commune["code"],
            siren=commune.get("siren", ""),
            official_type="Commune",
            departement_code=commune["departement"],
            region_code=commune["region"],
            population=commune.get("population"),
        ), ""

    def match_grouping(self, territory, departement):
        wanted = words(territory.name)
        if not wanted:
            return None, "nom trop général"
        candidates = []
        for grouping in self.groupings:
            members = grouping.get("membres") or []
            codes = {
                member["code"][:3] if member["code"].startswith("97") else member["code"][:2]
                for member in members
            }
            if departement and departement["code"] not in codes:
                continue
            have = words(grouping["nom"])
            if wanted == have or (wanted <= have and len(wanted) >= 2):
                candidates.append(grouping)
        if len(candidates) != 1:
            return None, f"{len(candidates)} groupements correspondants dans le département"
        grouping = candidates[0]
        code = departement["code"] if departement else ""
        return Identity(
            siren=grouping["code"],
            official_type=EPCI_TYPES.get(grouping["type"], grouping["type"]),
            departement_code=code,
            region_code=departement["region"] if departement else "",
            population=grouping.get("populationTotale"),
        ), ""


def identity_fields(identity):
    return asdict(identity)
