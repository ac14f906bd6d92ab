from django.urls import path

from caredesk.workspaces import views

urlpatterns = [
    path("", views.settings_general, name="settings_general"),
    path("members/", views.settings_members, name="settings_members"),
    path("members/add/", views.settings_member_add, name="settings_member_add"),
    path(
        "members/create-user/",
        views.settings_member_create_user,
        name="settings_member_create_user",
    ),
    path("members/<int:user_id>/type/", views.settings_member_type, name="settings_member_type"),
    path(
        "members/<int:user_id>/segment/",
        views.settings_member_segment,
        name="settings_member_segment",
    ),
    path(
        "members/<int:user_id>/remove/", views.settings_member_remove, name="settings_member_remove"
    ),
    path("permissions/", views.settings_permissions, name="settings_permissions"),
    path(
        "permissions/<int:user_id>/",
        views.settings_permission_save,
        name="settings_permission_save",
    ),
    path("user-types/", views.settings_user_types, name="settings_user_types"),
    path(
        "user-types/<int:type_id>/", views.settings_user_type_save, name="settings_user_type_save"
    ),
    path("workspaces/", views.settings_workspaces, name="settings_workspaces"),
    path("segments/", views.settings_segments, name="settings_segments"),
    path("segments/add/", views.settings_segment_add, name="settings_segment_add"),
    path(
        "segments/<int:segment_id>/add/",
        views.settings_segment_add,
        name="settings_segment_add_child",
    ),
    path(
        "segments/<int:segment_id>/rename/",
        views.settings_segment_rename,
        name="settings_segment_rename",
    ),
    path(
        "segments/<int:segment_id>/managers/",
        views.settings_segment_managers,
        name="settings_segment_managers",
    ),
]
