"""Admin pages for scrutiny: every change made here is kept in the model's history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from csc_scorecard.scrutiny import models


class UpdateInline(admin.TabularInline):
    model = models.TrackerUpdate
    extra = 0


@admin.register(models.TrackerItem)
class TrackerItemAdmin(SimpleHistoryAdmin):
    list_display = ("meeting", "agenda_item", "action_owner", "due_date", "completed_on", "status_override")
    list_filter = ("meeting__committee",)
    inlines = [UpdateInline]


for model in (models.Committee, models.Meeting, models.WorkProgrammeItem, models.TrackerUpdate):
    admin.site.register(model, SimpleHistoryAdmin)
