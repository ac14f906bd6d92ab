from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    name = "caredesk.action_plans"
    label = "action_plans"

    def ready(self):
        from caredesk.action_plans.article_link import link_written_article
        from caredesk.resources.hooks import article_created_hooks

        if link_written_article not in article_created_hooks:
            article_created_hooks.append(link_written_article)
