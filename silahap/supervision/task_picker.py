"""The task an activity carries out, when the officer started it from one (?task=<pk> on the
activity form's link in "my tasks"): added to the activity form through its extension point
(silahap/sections/forms), so reports neither imports nor knows supervision's tasks (#14)."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from silahap import inputs
from silahap.supervision import services
from silahap.supervision.models import Task

POINT = "reports.activity_form"
NAME = "supervision.task"
# The form's field name as the extension point prefixes it ("<extension>__<field>").
FIELD = NAME.replace(".", "_") + "__task"


class TaskField(forms.ModelChoiceField):
    """A hidden choice of the one task the page was opened for; the task rides along for the
    template's notice."""

    def __init__(self, task: Task):
        super().__init__(
            queryset=Task.objects.filter(pk=task.pk),
            initial=task.pk,
            widget=forms.HiddenInput,
            label=gettext_lazy("Task"),
        )
        self.task = task


def fields(request) -> dict[str, forms.Field] | None:
    """The task named by the link (or by the form it posts back); 400 for an id no page sends,
    404 for a task the officer may not see."""
    raw = request.POST.get(FIELD) or request.POST.get("task") or request.GET.get("task")
    task_id = inputs.read_id(raw, name="task")
    if task_id is None:
        return None
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=task_id)
    return {"task": TaskField(task)}


def saved(request, activity, values: dict) -> None:
    """Link the new activity to its task, in the activity's transaction (403 if the task is
    not given to this officer; a refusal undoes the activity too)."""
    task = values.get("task")
    if task is not None:
        services.task_link_activity(task=task, activity=activity, by=request.user)
