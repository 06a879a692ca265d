"""The browsable API reference: the generated OpenAPI schema rendered as a plain, accessible page
from SiLAHAP's own template and CSS (no CDN, no script)."""

from __future__ import annotations

import functools

from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _type_of(spec: dict, components: dict) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "allOf" in spec or "oneOf" in spec or "anyOf" in spec:
        options = spec.get("allOf") or spec.get("oneOf") or spec.get("anyOf") or []
        return " | ".join(_type_of(option, components) for option in options)
    kind = spec.get("type", "object")
    if kind == "array":
        return f"array of {_type_of(spec.get('items', {}), components)}"
    if spec.get("format"):
        return f"{kind} ({spec['format']})"
    if spec.get("enum"):
        return f"{kind}: {', '.join(str(value) for value in spec['enum'] if value)}"
    return kind


def _fields(ref: str | None, components: dict) -> list[dict]:
    if not ref:
        return []
    component = components.get(ref.rsplit("/", 1)[-1], {})
    required = set(component.get("required", []))
    return [
        {
            "name": name,
            "type": _type_of(spec, components),
            "required": name in required,
            "read_only": spec.get("readOnly", False),
            "description": spec.get("description", ""),
        }
        for name, spec in component.get("properties", {}).items()
    ]


def _body_ref(content: dict) -> str | None:
    media: dict = content.get("application/json") or next(iter(content.values()), {})
    spec = media.get("schema", {})
    return spec.get("$ref") or spec.get("items", {}).get("$ref")


def operations() -> list[dict]:
    """Operations grouped by their first tag, in the schema's order."""
    document = schema()
    components = document.get("components", {}).get("schemas", {})
    groups: dict[str, list[dict]] = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.get("responses", {})
            ok = next((code for code in responses if code.startswith("2")), None)
            body = operation.get("requestBody", {}).get("content", {})
            groups.setdefault((operation.get("tags") or ["api"])[0], []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": _type_of(parameter.get("schema", {}), components),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "request_fields": _fields(_body_ref(body), components),
                    "responses": sorted(responses),
                    "response_fields": _fields(
                        _body_ref(responses.get(ok, {}).get("content", {})) if ok else None,
                        components,
                    ),
                }
            )
    return [{"tag": tag, "operations": found} for tag, found in groups.items()]


@require_GET
def reference(request):
    return render(request, "integration/reference.html", {"groups": operations()})
