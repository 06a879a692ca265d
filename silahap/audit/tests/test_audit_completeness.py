"""Every service write leaves an audit event: each public `<thing>_<verb>` function in every
silahap/*/services.py, services_<part>.py beside it, or module of a silahap/*/services/ package
calls audit.record itself or through another service that does."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

SERVICES = sorted(
    [
        *(Path(settings.BASE_DIR) / "silahap").glob("*/services.py"),
        *(Path(settings.BASE_DIR) / "silahap").glob("*/services_*.py"),
        *(Path(settings.BASE_DIR) / "silahap").glob("*/services/*.py"),
    ]
)
ROOT = Path(settings.BASE_DIR) / "silahap"


def app_of(path: Path) -> str:
    return path.parent.parent.name if path.parent.name == "services" else path.parent.name


def is_services_package_module(app: str, name: str) -> bool:
    return (ROOT / app / "services" / f"{name}.py").exists()


def is_services_module(name: str) -> bool:
    return name == "services" or name.startswith("services_")


# Public functions that write nothing a person caused, each with the reason.
READ_ONLY = {
    "audit.canonical_summary": "shapes a summary; part of writing the event itself",
    "audit.event_digest": "computes a hash",
    "audit.digest_of": "computes a hash",
    "audit.record": "is the audit write",
    "audit.chain_problems": "reads the trail",
    "audit.overdue_unsealed": "reads the trail",
    "audit.seal_soon": "places recorded events in the hash chain, as seal does",
    "audit.watch": "registers a check to run after an event; writes nothing",
    "audit.seal": "places recorded events in the hash chain; the chain is the audit itself",
    "registry.require_staff": "refuses a partner-agency writer; writes nothing",
    "reports.reporting_unit": "reads the officer's unit",
    "reports.local_date": "converts a moment to the unit's date",
    "reports.submit_deadline": "computes a deadline",
    "reports.submit_problems": "lists what stops a submit; writes nothing",
    "reports.copies_due": "lists the photos whose shown copies are due; writes nothing",
    "reports.evidence_copies_make": (
        "the worker re-encodes a photo whose upload was audited (evidence.add); no person acts "
        "and nothing recorded about the photo changes"
    ),
    "accounts.check_role_fits": "validates a role against the account; writes nothing",
    "guidance.clean_roles": "validates the roles an SOP is required for",
    "guidance.completed_on": "reads when a person completed something",
    "guidance.parse_quiz": "parses a quiz's text; writes nothing",
    "guidance.resolve_recipients": "reads who a direction reaches",
    "insights.retention": "reads how long export files are kept",
    "integration.token_digest": "computes a hash",
    "operations.check_period": "validates a period",
    "operations.link_refusal": "says why a link is refused; writes nothing",
    "operations.member_refusal": "says why a member is refused; writes nothing",
    "operations.office_of": "reads a unit's office",
    "operations.record_event": "records the spine event beside the calling service's audit event",
}


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def public_functions(path: Path) -> list[str]:
    return [
        node.name
        for node in parsed(path).body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def service_aliases(tree: ast.Module) -> tuple[dict[str, str], dict[str, str]]:
    """Names a module gives other services modules (`audit` → "audit") and their functions."""
    modules: dict[str, str] = {}
    functions: dict[str, str] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("silahap."):
            continue
        parts = node.module.split(".")
        for alias in node.names:
            name = alias.asname or alias.name
            if len(parts) == 2 and is_services_module(alias.name):
                modules[name] = parts[1]
            elif (
                len(parts) == 3
                and parts[2] == "services"
                and (is_services_package_module(parts[1], alias.name))
            ):
                modules[name] = parts[1]  # a module of the services package
            elif (
                len(parts) == 3
                and is_services_module(parts[2])
                or len(parts) == 4
                and parts[2] == "services"
            ):
                functions[name] = f"{parts[1]}.{alias.name}"
    return modules, functions


def callees(path: Path) -> dict[str, set[str]]:
    """For each function of a services module, the qualified services functions it calls."""
    app = app_of(path)
    tree = parsed(path)
    modules, imported = service_aliases(tree)
    result: dict[str, set[str]] = {}
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        called: set[str] = set()
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name):
                called.add(imported.get(node.func.id, f"{app}.{node.func.id}"))
            elif (
                isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in modules
            ):
                called.add(f"{modules[node.func.value.id]}.{node.func.attr}")
        result[f"{app}.{function.name}"] = called
    return result


def audited_services() -> set[str]:
    """Qualified names (app.function) that write an audit event, directly or through another."""
    graph: dict[str, set[str]] = {}
    for path in SERVICES:
        graph.update(callees(path))
    audited = {"audit.record"}
    changed = True
    while changed:
        changed = False
        for name, called in graph.items():
            if name not in audited and called & audited:
                audited.add(name)
                changed = True
    return audited


def service_index() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for path in SERVICES:
        index.setdefault(app_of(path), []).extend(public_functions(path))
    return index


def test_every_service_write_records_an_audit_event():
    audited = audited_services()
    missing = sorted(
        f"{app}.{name}"
        for app, functions in service_index().items()
        for name in functions
        if f"{app}.{name}" not in audited and f"{app}.{name}" not in READ_ONLY
    )
    assert missing == [], f"these services write without an audit event: {missing}"


def test_read_only_allowlist_names_existing_functions():
    existing = {f"{app}.{name}" for app, functions in service_index().items() for name in functions}
    assert set(READ_ONLY) <= existing, sorted(set(READ_ONLY) - existing)


def test_the_check_notices_a_service_without_an_event(tmp_path):
    package = tmp_path / "demo"
    package.mkdir()
    (package / "services.py").write_text(
        "from silahap.audit import services as audit\n"
        "def thing_write(*, by):\n    return by\n"
        "def thing_audit(*, by):\n    audit.record(action='x')\n"
        "def thing_both(*, by):\n    return thing_audit(by=by)\n"
    )
    graph = callees(package / "services.py")
    assert "audit.record" in graph["demo.thing_audit"]
    assert graph["demo.thing_both"] == {"demo.thing_audit"}
    assert graph["demo.thing_write"] == set()


def test_the_check_reads_services_modules_split_by_part(tmp_path):
    package = tmp_path / "demo"
    package.mkdir()
    (package / "services_merge.py").write_text(
        "from silahap.demo import services_other as other\n"
        "def thing_merge(*, by):\n    return other.thing_write(by=by)\n"
    )
    graph = callees(package / "services_merge.py")
    assert graph["demo.thing_merge"] == {"demo.thing_write"}
