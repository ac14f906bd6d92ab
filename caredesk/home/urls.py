from django.urls import path

from caredesk.home import digest_views, views

urlpatterns = [
    path("", views.index, name="home"),
    path("profile/", views.profile, name="profile"),
    path("digest/opt-out/<str:token>/", digest_views.digest_opt_out, name="digest_opt_out"),
    path("w/<slug:workspace>/", views.workspace_home, name="workspace_home"),
    path("w/<slug:workspace>/home/today/<slug:metric>/", views.home_today, name="home_today"),
    path("w/<slug:workspace>/home/<slug:kind>/", views.home_list, name="home_list"),
    path("w/<slug:workspace>/profile/", views.workspace_profile, name="workspace_profile"),
]
