"""Random and malformed input on every public URL and API endpoint: never a server error."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

LISTS = [
    "/cas/",
    "/pratiques/",
    "/formations/",
    "/orientations/",
    "/pistes/",
    "/territoires/",
    "/sources/",
    "/recherche/",
    "/manques/",
    "/",
]
API_LISTS = [
    "/api/v1/cas/",
    "/api/v1/pratiques/",
    "/api/v1/formations/",
    "/api/v1/orientations/",
    "/api/v1/pistes/",
    "/api/v1/territoires/",
    "/api/v1/sources/",
    "/api/v1/themes/",
]
DETAIL_PREFIXES = [
    "/cas/",
    "/pratiques/",
    "/formations/",
    "/orientations/",
    "/pistes/",
    "/territoires/",
    "/sources/",
    "/api/v1/cas/",
    "/api/v1/pistes/",
]
PARAMETERS = [
    "q",
    "page",
    "tri",
    "type",
    "type_territoire",
    "region",
    "departement",
    "theme",
    "pratique",
    "source",
    "annee",
    "famille",
    "domaine",
    "duree_min",
    "duree_max",
    "modalite",
    "orientation",
    "etiquette",
    "format",
    "page_size",
]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

values = st.one_of(
    st.text(max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "",
            "\x00",
            "%00",
            "' OR 1=1 --",
            "<script>",
            "../../etc/passwd",
            "é" * 5000,
            "NaN",
            "-1",
            "1e309",
        ]
    ),
)
query_strings = st.dictionaries(st.sampled_from(PARAMETERS), values, max_size=6)


def safe_query(params):
    return urlencode({key: value.replace("\x00", "%00") for key, value in params.items()})


@FUZZ
@given(url=st.sampled_from(LISTS + API_LISTS), params=query_strings)
def test_no_query_string_breaks_a_list(client, world, url, params):
    response = client.get(f"{url}?{safe_query(params)}")
    assert response.status_code < 500


@FUZZ
@given(prefix=st.sampled_from(DETAIL_PREFIXES), slug=st.text(min_size=1, max_size=200))
def test_no_slug_breaks_a_detail_page(client, world, prefix, slug):
    response = client.get(f"{prefix}{quote(slug, safe='')}/")
    assert response.status_code < 500


@FUZZ
@given(
    url=st.sampled_from(LISTS[:3] + API_LISTS[:2]),
    headers=st.dictionaries(
        st.sampled_from(
            [
                "HX-Request",
                "Accept",
                "Accept-Language",
                "User-Agent",
                "Referer",
                "Cookie",
                "If-Modified-Since",
            ]
        ),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200),
        max_size=4,
    ),
)
def test_no_header_breaks_a_page(client, world, url, headers):
    response = client.get(url, headers=headers)
    assert response.status_code < 500
