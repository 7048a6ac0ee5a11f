"""Accounts in Django's admin (reached only after sign-in with two-factor)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from csc_scorecard.accounts.models import User


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Role", {"fields": ("role", "areas")}),)
