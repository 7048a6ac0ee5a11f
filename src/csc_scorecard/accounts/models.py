"""The account model and its roles.

A custom user model from the start, so that every audit record, target
change and commentary edit can point to an account rather than a login-name
string. Roles decide what an account may see (see docs/ and services/):

- admin: everything, including accounts and the audit log;
- analyst: everything to do with data, child-level lists included;
- manager: the scorecard, and child-level lists only for their own areas
  (``areas``; an empty list means none);
- viewer: published figures only (suppressed), never a child-level list.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    ANALYST = "analyst", "Analyst"
    MANAGER = "manager", "Manager"
    VIEWER = "viewer", "Viewer"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    # Areas a manager is scoped to, by the area names the teams extract uses.
    areas = models.JSONField(default=list, blank=True)
    # Set when the account was given a one-time password: the web asks for a new one.
    password_must_change = models.BooleanField(default=False)

    class Meta:
        ordering = ["username"]

    @property
    def sees_children(self) -> bool:
        """Whether this account may ever open a child-level list."""
        return self.is_active and self.role in {Role.ADMIN, Role.ANALYST, Role.MANAGER}
