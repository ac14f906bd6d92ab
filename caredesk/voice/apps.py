from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "caredesk.voice"
    label = "voice"
    verbose_name = "Voice (telephony call events)"
