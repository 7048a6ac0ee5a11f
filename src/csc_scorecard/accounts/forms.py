"""Sign-in and two-factor forms, with messages in words for the GOV.UK error summary."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct account name and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Account name"
        self.fields["username"].error_messages["required"] = "Enter your account name"
        self.fields["password"].error_messages["required"] = "Enter your password"


class CodeForm(forms.Form):
    """A six-digit code from the account's authenticator app, checked against its device."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        if self.device is not None and not self.device.verify_is_allowed()[0]:
            # django-otp slows guessing: each wrong code doubles the wait before the next
            raise forms.ValidationError("Too many wrong codes. Wait a minute, then enter the code showing then")
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError(
                "That code is not right. Codes change every 30 seconds: enter the one showing now"
            )
        return code


def error_summary(form: forms.Form) -> list[dict]:
    """The form's errors as the layout's error summary expects them (field id, message)."""
    items = []
    for name, errors in form.errors.items():
        field_id = f"id_{name}" if name != "__all__" else (f"id_{next(iter(form.fields))}")
        items += [{"field": field_id, "message": str(e)} for e in errors]
    return items
