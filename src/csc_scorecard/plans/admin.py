"""Admin pages for plans: every change made here is kept in the model's history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from csc_scorecard.plans import models


class OwnerInline(admin.TabularInline):
    model = models.ActionOwner
    extra = 0


class NoteInline(admin.TabularInline):
    model = models.ProgressNote
    extra = 0


@admin.register(models.Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "text", "deadline", "status", "direction")
    list_filter = ("status", "direction")
    inlines = [OwnerInline, NoteInline]


@admin.register(models.Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ("programme", "number", "risk", "owner", "likelihood", "impact", "score", "band")
    list_filter = ("programme__plan",)


for model in (models.Plan, models.Programme, models.Objective, models.HighlightReport,
              models.LocalMeasure, models.LocalMeasureValue):
    admin.site.register(model, SimpleHistoryAdmin)
