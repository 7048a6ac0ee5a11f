"""One background task as its page shows it.

django-tasks keeps the queue (which worker runs what); this row keeps what a
person needs: who asked, what it is doing now, and the result or the failure
in words. It never holds child data: messages name files, tables and counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TaskRun(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    step = models.CharField(max_length=300, blank=True, default="")
    steps_done = models.IntegerField(default=0)
    steps_total = models.IntegerField(default=0)
    arguments = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    failure = models.TextField(blank=True, default="")
    queue_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.steps_total:
            return None
        return min(100, round(100 * self.steps_done / self.steps_total))
