from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "caredesk.feedback"
    label = "feedback"

    def ready(self):
        from caredesk.care.signals import case_resolved
        from caredesk.feedback.invitations import on_case_resolved

        case_resolved.connect(on_case_resolved, dispatch_uid="feedback.csat_on_resolve")
