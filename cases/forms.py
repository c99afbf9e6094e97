"""The public form where a territorial agent proposes an experience (/proposer/)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from practices.models import Practice

# Any tag-like text: contributions are plain text, and are shown to editors as such.
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
TEXT_MAX = 4000


def no_html(value):
    if _HTML.search(value or ""):
        raise ValidationError(
            _("Écrivez en texte simple : les balises HTML (« <… > ») ne sont pas acceptées."),
            code="html",
        )


class ContributionForm(forms.Form):
    collectivity = forms.CharField(
        label=_("Votre collectivité ou organisation"),
        max_length=200,
        validators=[no_html],
        help_text=_("Par exemple : Ville de Niort, Métropole de Lyon, Département du Gers."),
    )
    title = forms.CharField(
        label=_("Titre de l’expérience"),
        max_length=200,
        validators=[no_html],
        help_text=_("En une ligne : « Un budget participatif dans les écoles »."),
    )
    practice = forms.ModelChoiceField(
        label=_("Pratique mise en œuvre"),
        queryset=Practice.objects.none(),
        required=False,
        empty_label=_("— Choisissez dans la liste, ou décrivez-la ci-dessous —"),
    )
    practice_other = forms.CharField(
        label=_("Autre pratique (si elle n’est pas dans la liste)"),
        max_length=200,
        required=False,
        validators=[no_html],
    )
    what = forms.CharField(
        label=_("Ce qui a été fait"),
        max_length=TEXT_MAX,
        validators=[no_html],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Le contexte, la démarche, qui y a participé. %(max)s caractères au plus.")
        % {"max": TEXT_MAX},
    )
    results = forms.CharField(
        label=_("Les résultats"),
        max_length=TEXT_MAX,
        required=False,
        validators=[no_html],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui a changé, chiffres à l’appui si vous en avez, et les limites."),
    )
    contact_name = forms.CharField(
        label=_("Votre nom (facultatif)"), max_length=120, required=False, validators=[no_html]
    )
    contact_email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_(
            "Privée : elle ne sert qu’à l’équipe éditoriale pour vous répondre et n’est jamais "
            "publiée."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "J’accepte que ce texte soit publié, après relecture, sous Licence Ouverte "
            "(Etalab 2.0) : chacun pourra le réutiliser en citant Transfo."
        ),
        error_messages={"required": _("Cochez cette case : sans votre accord, rien n’est publié.")},
    )
    # Honeypot: hidden from people, filled in by robots that fill every field.
    website = forms.CharField(label=_("Ne remplissez pas ce champ"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = Practice.objects.visible().order_by("title")

    def is_bot(self):
        return bool(self.data.get("website"))
