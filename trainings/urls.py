from django.urls import path

from . import views

app_name = "trainings"
urlpatterns = [
    path("formations/", views.TrainingListView.as_view(), name="list"),
    path("formations/<slug:slug>/", views.TrainingDetailView.as_view(), name="detail"),
]
