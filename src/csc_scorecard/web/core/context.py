"""What every page's frame shows: the council's name and the navigation for this account."""

from __future__ import annotations

from django.urls import reverse

from csc_scorecard.web.core.security import two_factor_done, two_factor_required


def layout(request) -> dict:
    from csc_scorecard.services.accounts import can_manage_accounts
    from csc_scorecard.services.audit_log import can_read_audit_log
    from csc_scorecard.services.commentary import can_write_commentary
    from csc_scorecard.services.inspection_pages import can_read as can_read_inspection
    from csc_scorecard.services.returns import can_list_returns
    from csc_scorecard.services.targets import can_edit_targets
    from csc_scorecard.web.core.council import council_name

    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    fully_in = signed_in and (not two_factor_required(user) or two_factor_done(user))
    items = []
    if fully_in:
        items.append(("Home", reverse("core:home")))
        items.append(("Scorecard", reverse("scorecard:scorecard")))
        if can_edit_targets(user):
            items.append(("Targets", reverse("scorecard:targets")))
        if can_write_commentary(user):
            items.append(("Commentary", reverse("scorecard:commentary")))
        items.append(("Reports", reverse("reports:list")))
        items.append(("Plans", reverse("plans:list")))
        if can_read_inspection(user):
            items.append(("Inspection", reverse("inspection:list")))
        items.append(("Scrutiny", reverse("scrutiny:committees")))  # every role: members are viewers
        if can_list_returns(user):
            items.append(("Returns", reverse("returns:list")))
        if can_read_audit_log(user):
            items.append(("Audit log", reverse("auditlog:list")))
        if can_manage_accounts(user):
            items.append(("Accounts", reverse("accounts:two-factor-list")))
    path = request.path
    nav = [
        {"text": text, "href": href, "active": path == href or (href != "/" and path.startswith(href))}
        for text, href in items
    ]
    return {"council_name": council_name(), "nav_items": nav, "signed_in": signed_in}
