"""How editors' text and numbers are shown: real lists, French number and plural rules."""

from transfo.templatetags.transfo import count_of, number, paragraphs


def test_dashed_lines_become_a_real_list_between_paragraphs():
    text = "Chiffres clés :\n- 12 agents formés\n- 3 quartiers\n  couverts\n\nEt ensuite <b>."
    assert paragraphs(text) == (
        "<p>Chiffres clés :</p><ul><li>12 agents formés</li><li>3 quartiers couverts</li></ul>"
        "<p>Et ensuite &lt;b&gt;.</p>"
    )


def test_plain_lines_keep_their_breaks():
    assert paragraphs("Un\nDeux") == "<p>Un<br>Deux</p>"


def test_thousands_are_grouped_by_a_narrow_no_break_space():
    assert number(10000) == "10\u202f000"
    assert number(999) == "999"


def test_french_takes_the_singular_below_two():
    assert count_of(0, "résultat", "résultats") == "0\u00a0résultat"
    assert count_of(1, "résultat", "résultats") == "1\u00a0résultat"
    assert count_of(1500, "cas", "cas") == "1\u202f500\u00a0cas"


def test_punctuation_is_tied_to_the_word_before_in_text_but_not_in_attributes_or_scripts():
    from transfo.typography import french_html

    html = (
        '<p title="a : b">Source : <a href="/x/?q=a">Rapport</a> ; « ceci » ! Quoi ? '
        "10:30 http://x.fr</p><script>a ? b : c</script>"
    )
    assert french_html(html) == (
        '<p title="a : b">Source\u00a0: <a href="/x/?q=a">Rapport</a>\u202f; «\u202fceci\u202f»'
        "\u202f! Quoi\u202f? 10:30 http://x.fr</p><script>a ? b : c</script>"
    )


def test_public_pages_get_french_spacing_and_the_admin_does_not(client, admin_client, db):
    html = client.get("/a-propos/").content.decode()
    assert "Pour qui" in html and "Écrivez à" in html

    assert "Contact\u00a0:" in client.get("/mentions-legales/").content.decode()
    assert "\u00a0:" not in admin_client.get("/admin/").content.decode()


def test_character_references_are_left_whole():
    """« &gt; » ends with a semicolon that is not punctuation: no space may split it."""
    from transfo.typography import french_html

    assert french_html("<p>&lt;/script&gt; Le budget ; l&#x27;école &amp; co</p>") == (
        "<p>&lt;/script&gt; Le budget\u202f; l&#x27;école &amp; co</p>"
    )


def test_a_fragment_starting_with_text_is_spaced_before_and_after_its_scripts():
    """An htmx answer may start with text, and prose may follow a script or preformatted text."""
    from transfo.typography import french_html

    html = "Résultats : 3<pre>x : y</pre>Voir aussi : <b>ceci</b>\n<code>a ; b</code> fin !"
    assert french_html(html) == (
        "Résultats\u00a0: 3<pre>x : y</pre>Voir aussi\u00a0: <b>ceci</b>\n<code>a ; b</code>"
        " fin\u202f!"
    )


def test_a_page_asked_again_is_not_worked_over_again(client, db, monkeypatch):
    """A repeat visit sends the same HTML (its parts kept by its view): its typography, a fifth
    of a large page's request, is looked up rather than worked out again."""
    from transfo import typography

    client.get("/mentions-legales/")
    calls = []
    spaced = typography.spaced
    monkeypatch.setattr(typography, "spaced", lambda text: calls.append(text) or spaced(text))
    again = client.get("/mentions-legales/").content.decode()
    assert "Contact\u00a0:" in again and calls == []
