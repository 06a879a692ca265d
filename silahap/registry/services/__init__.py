"""Every write to the registry: keyword-only, one transaction, one audit event, one spine event.

One module per thing written: persons (with documents and permits), places, sponsors, merges of
duplicates, imports. Callers use this package: `services.place_update(...)`.
"""

from silahap.registry.services.imports import (
    import_apply_finish,
    import_check_finish,
    import_confirm,
    import_upload,
)
from silahap.registry.services.merge import (
    MergeResult,
    person_duplicate_dismiss,
    person_merge,
    place_duplicate_dismiss,
    place_merge,
)
from silahap.registry.services.persons import (
    PERSON_FIELDS,
    PersonResult,
    document_add,
    permit_add,
    permit_update,
    person_create,
    person_update,
)
from silahap.registry.services.places import PLACE_FIELDS, place_create, place_update
from silahap.registry.services.sponsors import (
    SPONSOR_FIELDS,
    SponsorResult,
    sponsor_create,
    sponsor_update,
)

__all__ = [
    "PERSON_FIELDS",
    "PLACE_FIELDS",
    "SPONSOR_FIELDS",
    "MergeResult",
    "PersonResult",
    "SponsorResult",
    "document_add",
    "import_apply_finish",
    "import_check_finish",
    "import_confirm",
    "import_upload",
    "permit_add",
    "permit_update",
    "person_create",
    "person_duplicate_dismiss",
    "person_merge",
    "person_update",
    "place_create",
    "place_duplicate_dismiss",
    "place_merge",
    "place_update",
    "sponsor_create",
    "sponsor_update",
]
