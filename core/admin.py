from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]
    fieldsets = [
        (
            None,
            {
                "fields": ["terms", "note"],
                "description": _(
                    "Une recherche sur l'une des expressions trouve aussi les fiches qui "
                    "contiennent les autres, dans les deux sens et sur tout le site."
                ),
            },
        )
    ]
