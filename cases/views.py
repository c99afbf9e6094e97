import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from core.listing import (
    ElidedPagesMixin,
    FacetedListView,
    KeptListMixin,
    PublishedDetailView,
)
from core.models import related_visible
from practices.models import Practice

from .filters import CaseStudyFilterSet
from .forms import ContributionForm
from .models import CaseStudy, Territory
from .opendata import CASES
from .services import contribution_submit

RELATED_CASES_SHOWN = 6
TRAININGS_SHOWN = 10


class CaseStudyListView(FacetedListView):
    filterset_class = CaseStudyFilterSet
    csv_table = CASES
    shows = {
        "cases.casestudy",
        "cases.casepractice",
        "cases.territory",
        "practices.practice",
        "practices.source",
        "practices.theme",
    }
    card_template = "includes/cards/casestudy.html"
    page_title = _("Cas")
    page_intro = _(
        "Des collectivités et organisations qui ont mis ces pratiques en œuvre : focus, références inspirantes, cas étudiés, projets collectifs de l'INET."
    )

    def get_queryset(self):
        return CaseStudy.objects.visible().for_list()


class CaseStudyDetailView(PublishedDetailView):
    model = CaseStudy
    template_name = "cases/casestudy_detail.html"

    def body_context(self):
        case = self.object
        practices = [practice.pk for practice in case.published_practices]
        # The case page leads on to the trainings that teach its practices.
        training_links = Practice._meta.get_field("training_links").related_model.objects
        return {
            "trainings": (
                related_visible(Practice, "trainings")
                .filter(pk__in=training_links.filter(practice__in=practices).values("training"))
                .order_by("title")[:TRAININGS_SHOWN]
            ),
            "related_cases": (
                CaseStudy.objects.visible()
                .sharing_practices(practices)
                .exclude(pk=case.pk)
                .select_related("territory")
                .order_by("title")[:RELATED_CASES_SHOWN]
            ),
        }


class TerritoryListView(KeptListMixin, ElidedPagesMixin, ListView):
    template_name = "cases/territory_list.html"
    paginate_by = 50
    cache_params = frozenset({"page"})

    def get_queryset(self):
        # What the list shows of each territory: its name, its type and its address.
        return (
            Territory.objects.with_published_cases().order_by("name").only("slug", "name", "kind")
        )


class TerritoryDetailView(PublishedDetailView):
    model = Territory
    template_name = "cases/territory_detail.html"

    def public_records(self):
        # A territory is not a publishable record: the public reaches it through its cases.
        return Territory.objects.with_published_cases()

    def records(self):
        # Staff included: a territory has no draft to preview.
        return self.public_records()


def _client_address(request):
    # REMOTE_ADDR, not X-Forwarded-For, which anyone can forge; behind a proxy, the proxy must
    # set REMOTE_ADDR (gunicorn's --forwarded-allow-ips does it).
    return request.META.get("REMOTE_ADDR", "")


def _over_limit(kind, value):
    """Counts one attempt for this address; true once the hourly limit is passed."""
    digest = hashlib.sha256(value.lower().encode()).hexdigest()
    key = f"proposer:{kind}:{digest}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.CONTRIBUTIONS_PER_HOUR


@never_cache
def propose(request):
    """A visitor proposes an experience; it waits for the editors, nothing is published."""
    form = ContributionForm(request.POST or None)
    if request.method == "POST":
        if _over_limit("ip", _client_address(request)):
            form.add_error(None, TOO_MANY)
            return render(request, "cases/propose.html", {"form": form}, status=429)
        if form.is_bot():
            # Robots are told it worked, so that they do not try harder; nothing is kept.
            return redirect("cases:propose_thanks")
        if form.is_valid():
            if _over_limit("email", form.cleaned_data["contact_email"]):
                form.add_error(None, TOO_MANY)
                return render(request, "cases/propose.html", {"form": form}, status=429)
            contribution_submit(form.cleaned_data)
            return redirect("cases:propose_thanks")
    return render(request, "cases/propose.html", {"form": form})


def propose_thanks(request):
    return render(request, "cases/propose_thanks.html")


TOO_MANY = _(
    "Vous avez déjà envoyé plusieurs propositions dans l’heure. Votre texte est conservé "
    "ci-dessous : réessayez un peu plus tard, ou écrivez-nous."
)
