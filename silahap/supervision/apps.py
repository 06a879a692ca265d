from django.apps import AppConfig

from silahap.sections import forms as form_extensions
from silahap.sections import registry as sections


class SupervisionConfig(AppConfig):
    name = "silahap.supervision"
    label = "supervision"

    def ready(self):
        # These modules import models, and apps.py is imported before the app registry is ready.
        from silahap.supervision import (  # noqa: PLC0415 — they import models (see above)
            rules,  # noqa: F401 — access rules
            subscribers,  # noqa: F401 — spine subscribers
            task_picker,
            warrant_picker,
        )
        from silahap.supervision.context_processors import (  # noqa: PLC0415 — imports models
            officer_tasks_context,
        )

        # The officer's open tasks under today's report: supervision adds them to the reports
        # page instead of the page loading supervision's tags.
        sections.add(
            "reports.today",
            name="supervision.officer_tasks",
            template="supervision/_officer_tasks.html",
            context=lambda request: officer_tasks_context(request.user),
        )
        # The warrants covering today on the activity form (reports does not import us).
        form_extensions.add(
            warrant_picker.POINT,
            name="supervision.warrant",
            fields=warrant_picker.fields,
            template="supervision/_activity_warrant.html",
            saved=warrant_picker.saved,
            provides=warrant_picker.provides,
            skip_unposted=True,
            order=10,
        )
        # The task an activity started from "my tasks" carries out, linked once it is saved.
        form_extensions.add(
            task_picker.POINT,
            name=task_picker.NAME,
            fields=task_picker.fields,
            template="supervision/_activity_task.html",
            saved=task_picker.saved,
            order=5,
        )
