from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "csc_scorecard.web.core"
    label = "webcore"
    verbose_name = "Web pages"

    def ready(self) -> None:
        # Sign-in events reach the audit trail however the sign-in happens.
        from csc_scorecard.accounts import signals

        signals.connect_lockout()
