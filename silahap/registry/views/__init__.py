"""The registry's pages and the endpoints the field screens call."""

from silahap.registry.views.lookups import (
    area_options,
    mrz_parse,
    person_lookup,
    place_options,
)
from silahap.registry.views.persons import (
    document_add,
    permit_add,
    person_create,
    person_detail,
    person_search,
    person_update,
)

__all__ = [
    "area_options",
    "document_add",
    "mrz_parse",
    "permit_add",
    "person_create",
    "person_detail",
    "person_lookup",
    "person_search",
    "person_update",
    "place_options",
]
