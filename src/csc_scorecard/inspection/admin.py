"""Admin pages to correct inspections, recommendations and self-evaluations (history kept)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from csc_scorecard.inspection import models as m


class JudgementInline(admin.TabularInline):
    model = m.Judgement
    extra = 0


class RecommendationInline(admin.StackedInline):
    model = m.Recommendation
    extra = 0


@admin.register(m.Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "kind", "start_date", "end_date", "la_code")
    inlines = [JudgementInline, RecommendationInline]


class SectionInline(admin.StackedInline):
    model = m.EvaluationSection
    extra = 0


@admin.register(m.SelfEvaluation)
class SelfEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("title", "status", "period", "updated_at")
    inlines = [SectionInline]


@admin.register(m.EvaluationSection)
class EvaluationSectionAdmin(SimpleHistoryAdmin):
    list_display = ("theme", "title", "evaluation")

    class BulletInline(admin.TabularInline):
        model = m.EvidenceBullet
        extra = 0

    inlines = [BulletInline]
