from django.urls import path

from caredesk.webchat import views

urlpatterns = [
    path("<str:key>/", views.chat_page, name="chat_page"),
    path("<str:key>/demo/", views.demo_page, name="chat_widget_demo"),
    path("<str:key>/config.json", views.widget_config, name="chat_widget_config"),
]
