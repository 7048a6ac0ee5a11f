from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "csc_scorecard.web.tasks"
    label = "webtasks"
    verbose_name = "Background tasks"
