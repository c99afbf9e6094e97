"""Documents and queries are normalised the same way, in Python, for both databases."""

import pytest

from core.text import highlight, index_text


@pytest.mark.parametrize(
    "printed, typed",
    [
        ("École", "ecole"),
        ("Œuvre", "oeuvre"),
        ("budgets participatifs", "budget participatif"),
        ("F.I.E.R.", "fier"),
        ("ISO 9 001", "iso 9001"),
        ("1 240 agents", "1240 agent"),
        ("1\u202f240 agents", "1240 agents"),
        ("Cit’ergie", "citergie"),
        ("Conseil d'État", "conseil etat"),
        ("l'école", "ecole"),
    ],
)
def test_the_printed_form_and_the_typed_form_give_the_same_tokens(printed, typed):
    assert index_text(printed) == index_text(typed)


def test_a_hyphenated_word_is_indexed_in_parts_and_glued():
    assert index_text("co-formation") == "co format coform"
    assert index_text("coformation") == "coform"


def test_a_year_followed_by_a_number_stays_two_numbers():
    assert index_text("en 2019 120 agents") == "2019 120 agent"


def test_function_words_are_dropped():
    assert index_text("le budget de la ville") == index_text("budget ville")


def test_the_excerpt_marks_every_form_of_the_word_and_escapes_the_rest():
    html = highlight("Des <b>budgets</b> et un budget.", {"budget"})
    assert html == "Des &lt;b&gt;<mark>budgets</mark>&lt;/b&gt; et un <mark>budget</mark>."


def test_a_long_text_is_cut_around_the_first_match():
    text = " ".join(["mot"] * 100 + ["budget"] + ["mot"] * 100)
    html = highlight(text, {"budget"}, width=10)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>budget</mark>" in html


def test_an_excerpt_keeps_the_punctuation_around_its_words_but_not_the_trailing_spaces():
    assert highlight("« Budget » : oui.  \n", {"budget"}) == "… <mark>Budget</mark> » : oui."
    assert highlight("Budget, budget !", {"budget"}) == (
        "<mark>Budget</mark>, <mark>budget</mark> !"
    )


def test_an_excerpt_without_a_match_is_empty_only_when_a_match_is_required():
    assert highlight("Un texte sans le mot.", {"budget"}, require_match=True) == ""
    assert highlight("Un texte sans le mot.", {"budget"}) == "Un texte sans le mot."
    assert highlight("« » …", {"budget"}) == highlight("", {"budget"}) == ""
