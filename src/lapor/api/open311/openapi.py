"""A small OpenAPI 3 document for the Open311 GeoReport v2 endpoints LAPOR implements, in their JSON
form (XML carries the same fields). Served at /open311/v2/openapi.json; the adversarial tests run
schemathesis against it, so the views and this document must agree."""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

__all__ = ["DOCUMENT", "openapi"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = _json({"type": "array", "items": _ref("Error")}, "The spec's error list (400, 403 or 404)")
NULLABLE_STRING = {"type": "string", "nullable": True}
DATETIME = {"type": "string", "format": "date-time"}
W3C_PARAM = {"type": "string", "format": "date-time"}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": r"^[\w-]+$"},
    }


JURISDICTION = _query("jurisdiction_id", {"type": "string"}, "Optional; unknown values answer 404")
API_KEY = _query("api_key", {"type": "string"}, "An integration's key (X-API-Key is also accepted)")


# The rate limits (lapor.security) answer every machine door in the API's own error shape.
RATE_LIMITED = _json(
    {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": NULLABLE_STRING},
    },
    "Too many requests; see Retry-After",
)


def _answers(ok: dict[str, Any], *codes: str) -> dict[str, Any]:
    return {"200": ok, **dict.fromkeys(codes, ERRORS), "429": RATE_LIMITED}


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
    "Service": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": {"type": "string"},
            "metadata": {"type": "boolean"},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            "keywords": {"type": "string"},
            "group": {"type": "string"},
        },
    },
    "ServiceDefinition": {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {
            "service_code": {"type": "string"},
            "attributes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["variable", "code", "datatype", "required", "order", "description"],
                    "properties": {
                        "variable": {"type": "boolean"},
                        "code": {"type": "string"},
                        "datatype": {
                            "type": "string",
                            "enum": [
                                "string",
                                "number",
                                "datetime",
                                "text",
                                "singlevaluelist",
                                "multivaluelist",
                            ],
                        },
                        "required": {"type": "boolean"},
                        "datatype_description": {"type": "string"},
                        "order": {"type": "integer"},
                        "description": {"type": "string"},
                        "values": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["key", "name"],
                                "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        },
    },
    "ServiceRequest": {
        "type": "object",
        "required": ["service_request_id", "status", "requested_datetime", "updated_datetime"],
        "properties": {
            "service_request_id": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "status_notes": {"type": "string"},
            "service_name": {"type": "string"},
            "service_code": {"type": "string"},
            "description": {"type": "string"},
            "agency_responsible": {"type": "string"},
            "service_notice": {"type": "string"},
            "requested_datetime": DATETIME,
            "updated_datetime": DATETIME,
            "expected_datetime": {**DATETIME, "nullable": True},
            "address": {"type": "string"},
            "address_id": {"type": "string"},
            "zipcode": {"type": "string"},
            "lat": {"type": "number", "nullable": True},
            "long": {"type": "number", "nullable": True},
            "media_url": {"type": "string"},
        },
    },
    "Created": {
        "type": "object",
        "required": ["service_request_id"],
        "properties": {
            "service_request_id": {"type": "string"},
            "token": {"type": "string"},
            "service_notice": {"type": "string"},
            "account_id": NULLABLE_STRING,
        },
    },
    "Token": {
        "type": "object",
        "required": ["service_request_id", "token"],
        "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}},
    },
    "Update": {
        "type": "object",
        "required": ["update_id", "service_request_id", "status", "updated_datetime"],
        "properties": {
            "update_id": {"type": "string"},
            "service_request_id": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "updated_datetime": DATETIME,
            "description": {"type": "string"},
            "media_url": {"type": "string"},
            "external_status_code": {"type": "string"},
        },
    },
    "Stored": {
        "type": "object",
        "required": ["update_id"],
        "properties": {"update_id": {"type": "string"}},
    },
    "Discovery": {
        "type": "object",
        "required": ["changeset", "endpoints"],
        "properties": {
            "changeset": {"type": "string"},
            "contact": {"type": "string"},
            "key_service": {"type": "string"},
            "endpoints": {"type": "array", "items": {"type": "object"}},
        },
    },
}


def _list_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


REQUEST_FORM = {
    "type": "object",
    "required": ["service_code"],
    "properties": {
        "service_code": {"type": "string"},
        "lat": {"type": "string"},
        "long": {"type": "string"},
        "address_string": {"type": "string"},
        "address_id": {"type": "string"},
        "description": {"type": "string"},
        "media_url": {"type": "string"},
        "first_name": {"type": "string"},
        "last_name": {"type": "string"},
        "email": {"type": "string"},
        "phone": {"type": "string"},
        "api_key": {"type": "string"},
        "jurisdiction_id": {"type": "string"},
    },
}
UPDATE_FORM = {
    "type": "object",
    "required": ["service_request_id", "description"],
    "properties": {
        "service_request_id": {"type": "string"},
        "description": {"type": "string"},
        "update_id_ext": {"type": "string"},
        "api_key": {"type": "string"},
        "jurisdiction_id": {"type": "string"},
    },
}


def _form(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": schema}}}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "LAPOR Open311 GeoReport v2",
        "version": "2",
        "description": "GeoReport v2 (JSON form) with mySociety's servicerequestupdates.",
    },
    "paths": {
        "/open311/v2/discovery.json": {
            "get": {
                "parameters": [JURISDICTION],
                "responses": _answers(_json(_ref("Discovery"), "Discovery"), "404"),
            }
        },
        "/open311/v2/services.json": {
            "get": {
                "parameters": [JURISDICTION],
                "responses": _answers(_json(_list_of("Service"), "Services"), "404"),
            }
        },
        "/open311/v2/services/{service_code}.json": {
            "get": {
                "parameters": [_path("service_code"), JURISDICTION],
                "responses": _answers(_json(_ref("ServiceDefinition"), "Definition"), "404"),
            }
        },
        "/open311/v2/requests.json": {
            "get": {
                "parameters": [
                    JURISDICTION,
                    API_KEY,
                    _query("service_request_id", {"type": "string"}, "Comma-separated ids"),
                    _query("service_code", {"type": "string"}),
                    _query("start_date", W3C_PARAM),
                    _query("end_date", W3C_PARAM),
                    _query("status", {"type": "string"}),
                    _query("page", {"type": "string"}),
                    _query("page_size", {"type": "string"}),
                ],
                "responses": _answers(_json(_list_of("ServiceRequest"), "Requests"), "400", "403", "404"),
            },
            "post": {
                "requestBody": _form(REQUEST_FORM),
                "responses": {
                    "201": _json(_list_of("Created"), "Filed"),
                    **_answers(_json(_list_of("Created"), "Already filed"), "400", "403", "404"),
                },
            },
        },
        "/open311/v2/requests/{service_request_id}.json": {
            "get": {
                "parameters": [_path("service_request_id"), JURISDICTION, API_KEY],
                "responses": _answers(_json(_list_of("ServiceRequest"), "One request"), "400", "403", "404"),
            }
        },
        "/open311/v2/tokens/{token}.json": {
            "get": {
                "parameters": [_path("token"), JURISDICTION],
                "responses": _answers(_json(_list_of("Token"), "The request of a token"), "404"),
            }
        },
        "/open311/v2/servicerequestupdates.json": {
            "get": {
                "parameters": [
                    JURISDICTION,
                    API_KEY,
                    _query("start_date", W3C_PARAM),
                    _query("end_date", W3C_PARAM),
                ],
                "responses": _answers(_json(_list_of("Update"), "Updates"), "400", "403", "404"),
            },
            "post": {
                "requestBody": _form(UPDATE_FORM),
                "responses": {
                    "201": _json(_list_of("Stored"), "Stored"),
                    **dict.fromkeys(("400", "403", "404"), ERRORS),
                    "429": RATE_LIMITED,
                },
            },
        },
    },
    "components": {"schemas": SCHEMAS},
}


@require_http_methods(["GET"])
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(DOCUMENT)
