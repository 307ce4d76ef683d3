from django.urls import path

from home import views

# Un-namespaced: the login redirect (LOGIN_REDIRECT_URL) and every page's logo link say
# "dashboard".
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
