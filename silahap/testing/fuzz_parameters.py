"""What each URL reads from a request: its query-string parameters (GET) and form fields (POST),
as found in its view and the view's forms. The fuzz test (accounts/tests/test_hostile_inputs.py)
sends hostile values in each; a URL name without an entry fails there, as in the role matrix.

`{step}` in a name is the follow-up step's pk (the step update form is prefixed with it).
Path converters come from url_matrix.MATRIX's URLs (real ids of the personas' records); a
string converter is also filled with the hostile values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Params:
    get: tuple[str, ...] = ()
    post: tuple[str, ...] = ()
    # A path converter that takes any string (<str:…>): hostile values go there too.
    path_string: str = ""
    # Fields sent as they are beside the hostile ones: the choice that binds a second form.
    baseline: tuple[tuple[str, str], ...] = ()


NEXT = ("next",)
PAGE = ("page",)
ACTIVITY = (
    "client_id",
    "kind",
    "source",
    "classification",
    "warrant_number",
    "warrant_date",
    "warrant_to_follow",
    "started_at",
    "ended_at",
    "latitude",
    "longitude",
    "location_accuracy_m",
    "location_source",
    "place",
    "description",
    "conclusion",
    "recommendation",
    "place_mode",
    "task",
    "operations_operation__operation",
    "new_place-name",
    "new_place-kind",
    "new_place-address",
    "new_place-province",
    "new_place-regency",
    "new_place-district",
    "new_place-village",
)
CHECK = (
    "client_id",
    "person",
    "verification_method",
    "activity_observed",
    "matches_permit",
    "result",
    "notes",
    "person_mode",
    "person-full_name",
    "person-sex",
    "person-birth_date",
    "person-nationality",
    "person-document_number",
    "person-document_country",
    "person-document_kind",
    "person-document_expiry",
    "person-permit_type",
    "person-permit_number",
    "person-permit_valid_until",
)
PERSON = (
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "occupation",
    "address",
    "sponsor",
)
PERSON_CREATE = PERSON + (
    "document_kind",
    "document_number",
    "document_country",
    "document_expiry",
    "permit_type",
    "permit_number",
    "visa_index",
    "permit_issued_on",
    "permit_valid_until",
)
SPONSOR = ("kind", "name", "identity_number", "address", "regency", "phone")
PLACE = (
    "name",
    "kind",
    "address",
    "province",
    "regency",
    "district",
    "village",
    "latitude",
    "longitude",
)
DUPLICATE_LIST = ("by", "after")
INCIDENT = (
    "client_id",
    "office",
    "reference",
    "discovered_at",
    "description",
    "data_categories",
    "subjects_count",
    "measures",
    "status",
    "authority_notified_at",
    "subjects_notified_at",
)

# The evaluation pages' period (insights.forms.PeriodForm) and the map's filters.
PERIOD = ("p",)
MAP = ("p", "unit", "violation", "nationality", "zoom", "south", "north", "west", "east")
# The API: DRF's format override, the cursor pagination, and integration.filters.Filters
# (updated_since always; the unit subtree, a date range, a status and parent ids per resource).
API_DETAIL = ("format",)
API_PAGES = ("cursor", "page_size", "format")
API_DATES = ("unit", "date_from", "date_to")
ACTIVITY_PART = ("updated_since",) + API_DATES + ("activity", "report") + API_PAGES
PERSON_WRITE = (
    "full_name",
    "nationality",
    "sex",
    "birth_date",
    "birth_place",
    "occupation",
    "address",
    "sponsor",
)

PARAMETERS: dict[str, Params] = {
    "home": Params(),
    "login": Params(get=NEXT, post=("username", "password", "next")),
    "password_reset_confirm": Params(post=("new_password1", "new_password2"), path_string="token"),
    "password_reset_complete": Params(),
    "logout": Params(),
    "healthz": Params(),
    "readyz": Params(),
    "metrics": Params(),
    "service_worker": Params(),
    "favicon": Params(),
    "offline_shell": Params(),
    "set_language": Params(post=("language", "next")),
    "security": Params(),
    "otp_enrol": Params(get=NEXT, post=("code", "next")),
    "otp_verify": Params(get=NEXT, post=("code", "next")),
    "otp_recovery_codes": Params(get=NEXT),
    "otp_user_list": Params(get=PAGE),
    "otp_device_reset": Params(),
    # Reports
    "reports:today": Params(),
    "reports:my_reports": Params(get=("month",)),
    "reports:report_detail": Params(),
    "reports:report_submit": Params(post=("client_id",)),
    "reports:activity_create": Params(
        get=("task",), post=ACTIVITY, baseline=(("place_mode", "new"),)
    ),
    "reports:area_proposal": Params(get=("lat", "lng")),
    "reports:activity_detail": Params(get=("propose",)),
    "reports:check_create": Params(post=CHECK, baseline=(("person_mode", "new"),)),
    "reports:finding_create": Params(
        post=("client_id", "violation_type", "person", "description", "overstay_days")
    ),
    "reports:evidence_add": Params(post=("client_id", "caption")),
    "reports:evidence_file": Params(path_string="variant"),
    # The original follows by its client key (a UUID converter); its one field is the file.
    "reports:evidence_original_add": Params(),
    "reports:activity_update": Params(post=ACTIVITY),
    "reports:activity_delete": Params(),
    "reports:check_update": Params(post=CHECK),
    "reports:check_delete": Params(),
    "reports:check_identity_confirm": Params(),
    "reports:finding_update": Params(post=("violation_type", "description", "overstay_days")),
    "reports:finding_delete": Params(),
    "reports:evidence_delete": Params(),
    "reports:review_queue": Params(),
    "reports:report_approve": Params(),
    "reports:report_return": Params(post=("reason",)),
    "reports:report_revise": Params(post=("reason",)),
    "reports:comment_create": Params(post=("client_id", "activity", "body")),
    # Registry
    "registry:index": Params(),
    "registry:person_search": Params(
        get=("q", "nationality", "permit_status", "sponsor", "place", "page")
    ),
    "registry:person_create": Params(get=("full_name",), post=PERSON_CREATE),
    "registry:person_lookup": Params(get=("q", "limit", "nationality", "birth_year")),
    "registry:person_detail": Params(get=("purpose", "from")),
    "registry:person_update": Params(post=PERSON),
    "registry:document_add": Params(
        post=(
            "document-kind",
            "document-number",
            "document-issuing_country",
            "document-expiry_date",
        )
    ),
    "registry:permit_add": Params(
        post=(
            "permit-permit_type",
            "permit-visa_index",
            "permit-number",
            "permit-issued_on",
            "permit-valid_until",
            "permit-sponsor",
        )
    ),
    "registry:place_options": Params(get=("q", "lat", "lng", "selected")),
    "registry:place_detail": Params(get=PAGE),
    "registry:area_options": Params(get=("parent",), path_string="level"),
    "registry:mrz_parse": Params(post=("mrz",)),
    "registry:mrz_photo_read": Params(post=("photo",)),
    "registry:sponsor_list": Params(get=("q", "kind", "regency", "page")),
    "registry:sponsor_create": Params(get=("name",), post=SPONSOR),
    "registry:sponsor_detail": Params(get=PAGE),
    "registry:sponsor_update": Params(post=SPONSOR),
    "registry:place_list": Params(get=("q", "kind", "regency", "page")),
    "registry:place_create": Params(get=("name",), post=PLACE),
    "registry:places_near": Params(get=("lat", "lng", "radius")),
    "registry:place_update": Params(post=PLACE),
    "registry:permit_warnings": Params(get=("office", "kind", "page")),
    "registry:person_duplicates": Params(get=DUPLICATE_LIST),
    "registry:person_merge": Params(post=("survivor",) + DUPLICATE_LIST),
    "registry:person_duplicate_dismiss": Params(post=DUPLICATE_LIST),
    "registry:place_duplicates": Params(get=DUPLICATE_LIST),
    "registry:place_merge": Params(post=("survivor",) + DUPLICATE_LIST),
    "registry:place_duplicate_dismiss": Params(post=DUPLICATE_LIST),
    "registry:import_list": Params(post=("office", "kind")),
    "registry:import_layout": Params(path_string="kind"),
    "registry:import_template": Params(path_string="kind"),
    "registry:import_detail": Params(get=("outcome", "page")),
    "registry:import_progress": Params(),
    "registry:import_confirm": Params(),
    # Supervision
    "supervision:board": Params(),
    "supervision:board_feed": Params(get=("after",)),
    "supervision:warrant_list": Params(
        post=(
            "unit",
            "number",
            "issued_on",
            "signer",
            "basis",
            "targets",
            "period_start",
            "period_end",
            "members",
        )
    ),
    "supervision:warrant_detail": Params(),
    "supervision:warrant_scan": Params(),
    "supervision:task_create": Params(
        post=("assignee", "team", "target_area", "instructions", "due_date")
    ),
    "supervision:my_tasks": Params(),
    "supervision:task_link": Params(post=("activity",)),
    "supervision:followup_list": Params(get=("status", "kind", "overdue", "unit")),
    "supervision:followup_open": Params(),
    "supervision:followup_detail": Params(),
    "supervision:followup_step_add": Params(
        post=("kind", "action_kind", "assignee", "due_date", "notes")
    ),
    "supervision:followup_close": Params(),
    "supervision:followup_step_update": Params(
        post=("{step}-status", "{step}-decision_number", "{step}-notes")
    ),
    "supervision:absence_list": Params(post=("user", "kind", "start_date", "end_date", "note")),
    "supervision:notification_list": Params(),
    "supervision:notification_read": Params(post=("notification",)),
    # Operations
    "operations:operation_list": Params(get=PAGE),
    "operations:operation_create": Params(
        post=(
            "client_id",
            "unit",
            "kind",
            "number",
            "name",
            "starts_at",
            "ends_at",
            "regency",
            "objectives",
            "legal_basis",
            "warrants",
            "agencies",
        )
    ),
    "operations:operation_detail": Params(),
    "operations:operation_plan": Params(
        post=("name", "leader", "user", "team", "place", "label", "agency")
    ),
    "operations:operation_approve": Params(),
    "operations:operation_finish": Params(),
    "operations:operation_report": Params(post=("conclusions", "recommendations")),
    "operations:operation_stop": Params(post=("to", "reason")),
    "operations:operation_live": Params(),
    "operations:operation_live_feed": Params(get=("visit", "check", "finding", "action")),
    "operations:partner_action_create": Params(
        post=("client_id", "target", "description", "count", "photo")
    ),
    "operations:partner_action_photo": Params(),
    "operations:operation_pdf": Params(),
    "operations:operation_xlsx": Params(),
    "operations:team_list": Params(
        post=(
            "client_id",
            "unit",
            "kind",
            "level",
            "name",
            "province",
            "regency",
            "district",
            "decree_number",
            "decree_date",
            "mandate_start",
            "mandate_end",
            "agencies",
        )
    ),
    "operations:team_detail": Params(),
    "operations:team_member_add": Params(post=("user", "position")),
    "operations:meeting_record": Params(
        post=(
            "client_id",
            "held_at",
            "place",
            "agenda",
            "minutes",
            "present_immigration",
            "decision_0",
            "owner_0",
            "due_0",
        )
    ),
    "operations:decision_complete": Params(),
    "operations:national_list": Params(
        post=(
            "client_id",
            "number",
            "name",
            "starts_at",
            "ends_at",
            "instructions",
            "legal_basis",
            "offices",
            "target_count",
        )
    ),
    "operations:national_rollup": Params(get=("sort",)),
    "operations:national_rollup_xlsx": Params(get=("sort",)),
    # Audit
    "audit:search": Params(
        get=(
            "actor",
            "action",
            "object_type",
            "object_id",
            "date_from",
            "date_to",
            "purpose",
            "text",
            "before",
        )
    ),
    "audit:person_data_export": Params(post=("reference", "reason", "file_format")),
    "audit:incident_list": Params(),
    "audit:incident_create": Params(post=INCIDENT),
    "audit:incident_update": Params(post=INCIDENT[2:]),
    # Guidance
    "guidance:direction_list": Params(),
    "guidance:direction_create": Params(
        post=(
            "client_id",
            "unit",
            "body",
            "units",
            "people",
            "priority",
            "action_required",
            "due_date",
            "about_type",
            "about_id",
        )
    ),
    "guidance:direction_detail": Params(),
    "guidance:direction_acknowledge": Params(post=NEXT),
    "guidance:direction_done": Params(post=("note", "activity")),
    "guidance:direction_note": Params(post=("client_id", "body")),
    "guidance:direction_remind": Params(),
    "guidance:direction_attachment": Params(),
    "guidance:sop_list": Params(get=("q",)),
    "guidance:sop_create": Params(
        post=(
            "client_id",
            "title",
            "category",
            "required_roles",
            "number",
            "effective_date",
            "changes",
        )
    ),
    "guidance:sop_detail": Params(),
    "guidance:sop_version_publish": Params(
        post=("client_id", "number", "effective_date", "changes")
    ),
    "guidance:sop_version_file": Params(),
    "guidance:sop_acknowledge": Params(),
    "guidance:tutorial_list": Params(),
    "guidance:tutorial_create": Params(
        post=("client_id", "title", "description", "sop", "required_roles", "quiz", "pass_mark")
    ),
    "guidance:tutorial_detail": Params(),
    "guidance:tutorial_media": Params(path_string="kind"),
    "guidance:tutorial_progress": Params(),
    "guidance:tutorial_quiz": Params(),
    "guidance:training": Params(),
    "guidance:completion_matrix": Params(get=("unit",)),
    "guidance:completion_remind": Params(post=("unit",)),
    "guidance:completion_export": Params(get=("unit",)),
    # Insights
    "insights:index": Params(),
    "insights:me": Params(get=PERIOD),
    "insights:metric_help": Params(),
    "insights:league": Params(get=("p", "metric", "level", "norm", "format")),
    "insights:map": Params(get=MAP),
    "insights:map_feed": Params(get=MAP),
    "insights:map_list": Params(get=(*MAP, "page")),
    "insights:officer": Params(get=PERIOD),
    "insights:officer_export": Params(get=PERIOD, path_string="fmt"),
    "insights:unit": Params(get=PERIOD),
    "insights:recap_comment": Params(get=PERIOD, post=("text",)),
    "insights:unit_rows_xlsx": Params(get=PERIOD, path_string="kind"),
    "insights:export_job": Params(),
    "insights:export_progress": Params(),
    "insights:export_download": Params(),
    # <table>.<fmt>: both strings; the table is looked up first, the format after it.
    "insights:unit_export": Params(get=PERIOD, path_string="table"),
    "insights:unit_recap_pdf": Params(get=PERIOD),
    "insights:unit_rows_csv": Params(get=PERIOD, path_string="kind"),
    # Integration: the API's resources (JSON bodies only: a form-encoded write is a 415)
    "integration:schema": Params(get=("lang", "version", "format")),
    "integration:reference": Params(),
    "integration:permit_status": Params(get=("document_number", "issuing_country")),
    "integration:events": Params(get=("after", "limit", "format")),
    "integration:unit-list": Params(get=("updated_since", "unit", "parent") + API_PAGES),
    "integration:unit-detail": Params(get=API_DETAIL),
    "integration:operation-list": Params(
        get=("updated_since",) + API_DATES + ("status", "parent") + API_PAGES
    ),
    "integration:operation-detail": Params(get=API_DETAIL),
    "integration:operation-results": Params(get=API_DETAIL),
    "integration:metric-definitions": Params(get=API_DETAIL),
    "integration:metric-list": Params(
        get=("unit", "by", "metric", "period", "date_from", "date_to") + API_PAGES
    ),
    "integration:metric-detail": Params(get=("metric", "period", "date_from", "date_to", "format")),
    "integration:report-list": Params(
        get=("updated_since",) + API_DATES + ("status", "officer") + API_PAGES
    ),
    "integration:report-detail": Params(get=API_DETAIL),
    "integration:activity-list": Params(
        get=("updated_since",) + API_DATES + ("report",) + API_PAGES
    ),
    "integration:activity-detail": Params(get=API_DETAIL),
    "integration:check-list": Params(get=ACTIVITY_PART + ("status", "person")),
    "integration:check-detail": Params(get=API_DETAIL),
    "integration:finding-list": Params(get=ACTIVITY_PART + ("person",)),
    "integration:finding-detail": Params(get=API_DETAIL),
    "integration:evidence-list": Params(get=ACTIVITY_PART),
    "integration:evidence-detail": Params(get=API_DETAIL),
    "integration:followup-list": Params(
        get=("updated_since",) + API_DATES + ("status",) + API_PAGES
    ),
    "integration:followup-detail": Params(get=API_DETAIL),
    "integration:followup-step-list": Params(
        get=("updated_since",) + API_DATES + ("status", "followup") + API_PAGES
    ),
    "integration:followup-step-detail": Params(get=API_DETAIL),
    "integration:warrant-list": Params(get=("updated_since",) + API_DATES + API_PAGES),
    "integration:warrant-detail": Params(get=API_DETAIL),
    "integration:task-list": Params(get=("updated_since",) + API_DATES + ("warrant",) + API_PAGES),
    "integration:task-detail": Params(get=API_DETAIL),
    "integration:person-list": Params(
        get=("updated_since", "sponsor") + API_PAGES,
        post=PERSON_WRITE
        + (
            "document_kind",
            "document_number",
            "document_country",
            "document_expiry",
            "permit_type",
            "permit_number",
            "visa_index",
            "permit_issued_on",
            "permit_valid_until",
        ),
    ),
    "integration:person-detail": Params(get=API_DETAIL),
    "integration:person-sightings": Params(get=API_PAGES),
    "integration:person-permits": Params(
        post=("permit_type", "visa_index", "number", "issued_on", "valid_until", "sponsor")
    ),
    "integration:permit-list": Params(
        get=("updated_since", "date_from", "date_to", "person", "sponsor") + API_PAGES
    ),
    "integration:permit-detail": Params(get=API_DETAIL),
    "integration:sponsor-list": Params(get=("updated_since",) + API_PAGES),
    "integration:sponsor-detail": Params(get=API_DETAIL),
    "integration:place-list": Params(get=("updated_since",) + API_PAGES),
    "integration:place-detail": Params(get=API_DETAIL),
    # Integration: the console (integration.forms)
    "integration:console": Params(),
    "integration:client_list": Params(
        post=("name", "unit", "access", "resources", "contact_email", "requests_per_minute")
    ),
    "integration:client_detail": Params(),
    "integration:client_approve": Params(),
    "integration:client_revoke": Params(),
    "integration:token_issue": Params(post=("valid_days",)),
    "integration:token_revoke": Params(),
    "integration:subscription_create": Params(post=("url", "event_types")),
    "integration:subscription_detail": Params(),
    "integration:subscription_enable": Params(),
    "integration:delivery_resend": Params(),
}
