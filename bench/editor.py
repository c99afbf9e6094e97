"""The editor of `make loadtest`: saves and publishes records for N seconds, then checks that
every write is in the database and in the history. Prints a JSON summary; exits 1 if a write
is missing."""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transfo.settings")

import django  # noqa: E402

django.setup()

from cases.models import CaseStudy  # noqa: E402
from practices.models import Practice, Status  # noqa: E402


def main(seconds):
    practices = list(Practice.objects.published().order_by("slug")[:20])
    # Cases the readers never request, so that unpublishing them cannot turn a read into a 404.
    cases = list(CaseStudy.objects.published().order_by("-slug")[:10])
    start_history = {p.pk: p.history.count() for p in practices}
    start_case_history = {c.pk: c.history.count() for c in cases}
    writes, expected_summary, expected_status = 0, {}, {}
    practice_writes = {p.pk: 0 for p in practices}
    case_writes = {c.pk: 0 for c in cases}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        practice = practices[writes % len(practices)]
        practice.refresh_from_db()
        practice.summary = f"Résumé révisé n° {writes} pendant l'essai de charge."
        practice.save()
        expected_summary[practice.pk] = practice.summary
        practice_writes[practice.pk] += 1
        case = cases[writes % len(cases)]
        case.refresh_from_db()
        case.status = Status.DRAFT if case.status == Status.PUBLISHED else Status.PUBLISHED
        case.save()
        expected_status[case.pk] = case.status
        case_writes[case.pk] += 1
        writes += 2
    missing = [
        pk
        for pk, summary in expected_summary.items()
        if Practice.objects.get(pk=pk).summary != summary
    ] + [
        pk
        for pk, status in expected_status.items()
        if CaseStudy.objects.get(pk=pk).status != status
    ]
    history_missing = [
        pk
        for pk in practice_writes
        if Practice.objects.get(pk=pk).history.count() != start_history[pk] + practice_writes[pk]
    ] + [
        pk
        for pk in case_writes
        if CaseStudy.objects.get(pk=pk).history.count() != start_case_history[pk] + case_writes[pk]
    ]
    # Leave the content as it was published.
    for case in cases:
        CaseStudy.objects.filter(pk=case.pk).update(status=Status.PUBLISHED)
    summary = {
        "writes": writes,
        "missing_writes": len(missing),
        "missing_history": len(history_missing),
    }
    print(json.dumps(summary))
    return 0 if not missing and not history_missing else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 60))
