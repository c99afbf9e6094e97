"""The review workflow every content record follows: draft → to review → published.

The transitions are data so that the admin's buttons, the server-side checks and the tests read
the same table. Who may do what is a permission, never a group name: `core.publish_content`
(given to the Éditeurs group) publishes, unpublishes and sends back; any user who may change a
record may submit it for review.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Status

PUBLISH_PERMISSION = "core.publish_content"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    needs_publish_right: bool
    # Publishing shows the record to everyone: it must pass the record's completeness checks.
    checks_completeness: bool = False
    done: str = ""


TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition(
            "submit",
            _("Soumettre à relecture"),
            (Status.DRAFT,),
            Status.REVIEW,
            needs_publish_right=False,
            done=_("La fiche attend une relecture."),
        ),
        Transition(
            "publish",
            _("Publier"),
            (Status.DRAFT, Status.REVIEW),
            Status.PUBLISHED,
            needs_publish_right=True,
            checks_completeness=True,
            done=_("La fiche est publiée : elle est visible sur le site."),
        ),
        Transition(
            "unpublish",
            _("Dépublier"),
            (Status.PUBLISHED,),
            Status.DRAFT,
            needs_publish_right=True,
            done=_("La fiche est dépubliée : elle n’est plus visible sur le site."),
        ),
        Transition(
            "send_back",
            _("Renvoyer en brouillon"),
            (Status.REVIEW,),
            Status.DRAFT,
            needs_publish_right=True,
            done=_("La fiche est renvoyée en brouillon."),
        ),
    ]
}


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def available_transitions(record, user, can_change=True):
    """The transitions the user may start from the record's current status."""
    if not can_change:
        return []
    return [
        transition
        for transition in TRANSITIONS.values()
        if record.status in transition.sources
        and (can_publish(user) or not transition.needs_publish_right)
    ]
