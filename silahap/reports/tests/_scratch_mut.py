import pytest
from silahap.accounts import access
from silahap.reports import rules, services
from silahap.reports.tests.test_report_rules_state_machine import test_report_rules_hold_for_any_sequence_of_actions as machine

@pytest.mark.django_db
@pytest.mark.parametrize("mutation", ["analyst_decides", "ended_acting", "approve_draft", "revise_keeps_decider"])
def test_mutant(people, monkeypatch, mutation):
    if mutation == "analyst_decides":
        monkeypatch.setitem(access._rules, (rules.DailyReport, "decide"), lambda u, r: r.officer_id != u.pk and access.supervises(u, r.unit))
    if mutation == "ended_acting":
        from silahap.accounts.models import Membership
        real = access.current_memberships
        def current(user, on=None):
            return list(Membership.objects.filter(user=user).select_related("unit", "unit__office"))
        monkeypatch.setattr(access, "current_memberships", current)
    if mutation == "approve_draft":
        real = services._decidable
        def decidable(report, by):
            try:
                return real(report, by)
            except services.ValidationError:
                return services._lock(report)
        monkeypatch.setattr(services, "_decidable", decidable)
    if mutation == "revise_keeps_decider":
        real = services.report_revise
        def revise(*, report, by, reason):
            r = real(report=report, by=by, reason=reason)
            services.ReportRevision.objects.filter(report=r).order_by("-number").first().delete() if False else None
            r.revision_number = 0 if False else r.revision_number
            from silahap.reports.models import Activity
            Activity.objects.filter(report=r).update(description="tampered after approval") if r.status == "approved" else None
            return r
        # tamper: change an approved report's activity without going through services
        from silahap.reports import models
        real_approve = services.report_approve
        def approve(*, report, by):
            r = real_approve(report=report, by=by)
            models.Activity.objects.filter(report=r).update(conclusion="changed after approval")
            return r
        monkeypatch.setattr(services, "report_approve", approve)
    machine(people)
