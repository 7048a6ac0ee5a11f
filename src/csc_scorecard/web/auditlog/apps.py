from django.apps import AppConfig


class AuditLogConfig(AppConfig):
    name = "csc_scorecard.web.auditlog"
    label = "webaudit"
    verbose_name = "Audit log pages"
