"""Status changes of content records, checked against the user's rights and the record's state."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .workflow import TRANSITIONS, can_publish


class TransitionRefused(Exception):
    """The record cannot take this step now; `problems` lists what to fix, in French."""

    def __init__(self, problems):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = [str(problem) for problem in problems]


def content_transition(record, name, user, comment=""):
    """Move the record along the workflow, recording who did it and why in its history.

    Raises PermissionDenied when the user's role does not allow the step (trainers never
    publish), TransitionRefused when the record is not in a state to take it."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionRefused([_("Cette action n’existe pas.")])
    if transition.needs_publish_right and not can_publish(user):
        raise PermissionDenied(_("Seuls les éditeurs peuvent publier ou dépublier une fiche."))
    if record.status not in transition.sources:
        raise TransitionRefused(
            [
                _("La fiche est « %(status)s » : « %(action)s » n’est pas possible.")
                % {"status": record.get_status_display(), "action": transition.label}
            ]
        )
    if transition.checks_completeness:
        problems = record.publication_problems()
        if problems:
            raise TransitionRefused(problems)
    record.status = transition.target
    record._history_user = user
    record._change_reason = comment.strip()[:100] or str(transition.label)
    record.save()
    return transition
