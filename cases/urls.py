from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("cas/", views.CaseStudyListView.as_view(), name="list"),
    path("cas/<slug:slug>/", views.CaseStudyDetailView.as_view(), name="detail"),
    path("territoires/", views.TerritoryListView.as_view(), name="territory_list"),
    path("proposer/", views.propose, name="propose"),
    path("proposer/merci/", views.propose_thanks, name="propose_thanks"),
    path("territoires/<slug:slug>/", views.TerritoryDetailView.as_view(), name="territory_detail"),
]
