from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    path("pratiques/", views.PracticeListView.as_view(), name="list"),
    path("pratiques/<slug:slug>/", views.PracticeDetailView.as_view(), name="detail"),
    path("orientations/", views.OrientationListView.as_view(), name="orientation_list"),
    path(
        "orientations/<slug:slug>/",
        views.OrientationDetailView.as_view(),
        name="orientation_detail",
    ),
    path("pistes/", views.PisteListView.as_view(), name="piste_list"),
    path("pistes/<slug:slug>/", views.PisteDetailView.as_view(), name="piste_detail"),
    path("reperes/", views.FindingListView.as_view(), name="finding_list"),
    path("reperes/<slug:slug>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source_detail"),
]
