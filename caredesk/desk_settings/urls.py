from django.urls import path

from caredesk.desk_settings import views

urlpatterns = [
    path("", views.queues_page, name="desk_settings"),
    path("queues/add/", views.queue_add, name="desk_settings_queue_add"),
    path("queues/<int:queue_id>/", views.queue_save, name="desk_settings_queue_save"),
    path("skills/add/", views.skill_add, name="desk_settings_skill_add"),
    path("agents/<int:user_id>/", views.agent_save, name="desk_settings_agent_save"),
]
