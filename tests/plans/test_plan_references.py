"""A plan's reference cannot be a word the plans pages use under /plans/ (the plan could never be opened)."""

import pytest
import yaml
from django.urls import URLPattern, get_resolver

from csc_scorecard.plans import models as m
from csc_scorecard.plans.demo import DEMO_PLAN
from csc_scorecard.plans.references import RESERVED_REFERENCES
from csc_scorecard.plans.template import PlanFileError
from csc_scorecard.services.plans import import_plan_file

pytestmark = pytest.mark.django_db


def _fixed_first_segments() -> set[str]:
    """The literal first path segment of every plans URL pattern ('measures/<slug>/' -> 'measures')."""
    from csc_scorecard.web.plans import urls

    out = set()
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        first = str(pattern.pattern).split("/")[0]
        if first and "<" not in first:
            out.add(first)
    return out


def test_reserved_words_are_exactly_the_plans_pages_fixed_words():
    assert _fixed_first_segments() == {"measures", "actions"}
    assert _fixed_first_segments() <= RESERVED_REFERENCES


@pytest.mark.parametrize("word", ["measures", "actions", "Actions"])
def test_import_refuses_a_reserved_reference_located_and_stores_nothing(tmp_path, word):
    sheets = yaml.safe_load(DEMO_PLAN.read_text(encoding="utf-8"))
    sheets["plan"][0]["reference"] = word
    path = tmp_path / "plan.yml"
    path.write_text(yaml.safe_dump(sheets, sort_keys=False), encoding="utf-8")
    with pytest.raises(PlanFileError) as caught:
        import_plan_file(path)
    text = [str(p) for p in caught.value.problems]
    assert len(text) == 1, text
    assert text[0].startswith(f"sheet plan, row 1, column reference: '{word}': '{word}' is the name of a "
                              "plans page"), text
    assert m.Plan.objects.count() == 0 and m.Action.objects.count() == 0


def test_a_reference_merely_containing_a_reserved_word_is_fine(tmp_path):
    sheets = yaml.safe_load(DEMO_PLAN.read_text(encoding="utf-8"))
    sheets["plan"][0]["reference"] = "actions-2025"
    path = tmp_path / "plan.yml"
    path.write_text(yaml.safe_dump(sheets, sort_keys=False), encoding="utf-8")
    import_plan_file(path)
    assert get_resolver().resolve("/plans/actions-2025/").url_name == "plan"


def test_the_admin_plan_form_refuses_a_reserved_reference():
    """The admin's plan form is a ModelForm: it runs the field's validators as full_clean does."""
    from django.core.exceptions import ValidationError
    from django.forms import modelform_factory

    form = modelform_factory(m.Plan, fields=["reference", "title"])({"reference": "measures", "title": "Clash"})
    assert not form.is_valid()
    assert "is the name of a plans page" in form.errors["reference"][0]
    with pytest.raises(ValidationError):
        m.Plan(reference="actions", title="Clash").full_clean()
    assert not m.Plan.objects.exists()
