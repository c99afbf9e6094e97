"""The admin home of each person: what waits for them, what they left in draft, what changed."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import CaseStudy
from core.history import HISTORY_TYPES, person
from core.models import Status
from core.workflow import can_publish
from practices.models import Orientation, Piste, Practice, Source
from trainings.models import Training

# The records that go through the workflow, most worked on first.
WORKFLOW_MODELS = [CaseStudy, Practice, Training, Piste, Orientation, Source]
SHOWN = 15


@dataclass
class Entry:
    record: object
    url: str
    kind: str
    when: datetime
    who: str = ""
    what: str = ""


def _change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def _entry(record, **extra):
    return Entry(
        record=record,
        url=_change_url(record),
        kind=str(record._meta.verbose_name).capitalize(),
        when=extra.pop("when", record.updated_at),
        **extra,
    )


def to_review():
    entries = []
    for model in WORKFLOW_MODELS:
        waiting = model.objects.filter(status=Status.REVIEW).order_by("updated_at")
        if model is CaseStudy:
            # Cases proposed on /proposer/ say so in the queue.
            waiting = waiting.select_related("contribution")
        for record in waiting[:SHOWN]:
            proposed = getattr(record, "contribution", None) if model is CaseStudy else None
            entries.append(
                _entry(record, what=_("proposition de terrain") if proposed is not None else "")
            )
    return sorted(entries, key=lambda entry: entry.when)[:SHOWN]


def my_drafts(user):
    entries = [
        _entry(record)
        for model in WORKFLOW_MODELS
        for record in model.objects.filter(
            status=Status.DRAFT, pk__in=model.history.filter(history_user=user).values("id")
        ).order_by("-updated_at")[:SHOWN]
    ]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:SHOWN]


def recently_changed():
    entries = []
    for model in WORKFLOW_MODELS:
        # Deleted records have no page to open any more.
        history = (
            model.history.exclude(history_type="-")
            .select_related("history_user")
            .order_by("-history_date")
        )
        for version in history[:SHOWN]:
            record = version.instance
            entries.append(
                Entry(
                    record=record,
                    url=_change_url(record),
                    kind=str(model._meta.verbose_name).capitalize(),
                    when=version.history_date,
                    who=person(version.history_user),
                    what=version.history_change_reason or str(HISTORY_TYPES[version.history_type]),
                )
            )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:SHOWN]


def practices_without_training():
    return Practice.objects.visible().without_published_training().order_by("title")


def panels(user):
    context = {"my_drafts": my_drafts(user), "recently_changed": recently_changed()}
    if can_publish(user):
        context["to_review"] = to_review()
    if user.has_perm("cases.add_casestudy"):
        context["add_case_url"] = reverse("admin:cases_casestudy_add")
    if user.has_perm("trainings.add_trainingpractice"):
        gaps = practices_without_training()
        link_url = reverse("admin:trainings_trainingpractice_add")
        context["without_training"] = [(p, f"{link_url}?practice={p.pk}") for p in gaps[:30]]
        context["without_training_count"] = gaps.count()
        context["without_training_list_url"] = (
            reverse("admin:practices_practice_changelist") + "?formation=sans"
        )
    return context
