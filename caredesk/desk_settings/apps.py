from django.apps import AppConfig


class DeskSettingsConfig(AppConfig):
    name = "caredesk.desk_settings"
    label = "desk_settings"
    verbose_name = "Settings: queues and skills"
