"""/api/reference: the API's reference page, rendered on the server from the OpenAPI document.

No script and nothing from a CDN, so it works offline, without JavaScript and with a screen reader:
each path with its methods, parameters, request body and responses, then every schema's fields.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

blp = Blueprint("api_reference", __name__, template_folder="templates")

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    detail = schema.get("format") or (", ".join(map(str, schema["enum"])) if "enum" in schema else "")
    nullable = " or null" if schema.get("nullable") else ""
    return f"{kind} ({detail}){nullable}" if detail else f"{kind}{nullable}"


def _refs(content: dict[str, Any]) -> list[str]:
    out = []
    for media in content.values():
        schema = media.get("schema", {})
        for option in schema.get("oneOf", [schema]):
            name = _ref_name(option)
            if name:
                out.append(name)
    return out


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    components = spec.get("components", {})
    operations = []
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            parameters = []
            for p in [*shared, *op.get("parameters", [])]:
                if "$ref" in p:
                    p = components.get("parameters", {}).get(p["$ref"].rsplit("/", 1)[-1], {})
                parameters.append({**p, "type": _type(p.get("schema", {}))})
            body = None
            if "requestBody" in op:
                content = op["requestBody"].get("content", {})
                body = {"content_type": ", ".join(content), "refs": _refs(content)}
            responses = []
            for status, response in op.get("responses", {}).items():
                if "$ref" in response:
                    response = components.get("responses", {}).get(response["$ref"].rsplit("/", 1)[-1], {})
                responses.append(
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "refs": _refs(response.get("content", {})),
                    }
                )
            operations.append(
                {
                    "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "method": method,
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "secured": bool(op.get("security")),
                    "parameters": parameters,
                    "body": body,
                    "responses": responses,
                }
            )
    return operations


def _schemas(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            {
                "name": field,
                "type": _type(prop),
                "ref": _ref_name(prop),
                "required": field in required,
                "description": prop.get("description", ""),
            }
            for field, prop in schema.get("properties", {}).items()
        ]
        out.append((name, {"description": schema.get("description", ""), "fields": fields}))
    return out


@blp.route("/api/reference")
def reference() -> str:
    spec = current_app.extensions["partnership_hub_api"].spec.to_dict()
    return render_template(
        "api/reference.html",
        info=spec.get("info", {}),
        openapi=spec.get("openapi", ""),
        json_url="/api/openapi.json",
        operations=_operations(spec),
        schemas=_schemas(spec),
    )
