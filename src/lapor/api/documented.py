"""The answers every /api/v1 operation may give, whatever its own declaration: 400 for a body that
cannot be parsed, 401 for an invalid key or token (any caller may send one) and 429 when a rate limit
applies. Declared once here so the OpenAPI document never promises less than the API does."""

from typing import Any

from ninja import NinjaAPI
from pydantic import BaseModel

__all__ = ["COMMON_ERRORS", "DocumentedAPI"]

COMMON_ERRORS = {
    "400": "Permintaan tidak dapat dibaca",
    "401": "Kunci API atau token tidak valid",
    "429": "Terlalu banyak permintaan; lihat Retry-After",
}
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}


class DocumentedAPI(NinjaAPI):
    _documented: tuple[type[BaseModel], ...] = ()

    def document(self, *models: type[BaseModel]) -> None:
        """Models an operation refers to in its own `openapi_extra` (a body it parses itself, such
        as a filing's JSON or multipart form): ninja lists only the models of its parameters."""
        self._documented += models

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in self._documented:
            shape = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(shape.pop("$defs", {}))
            components[model.__name__] = shape
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                declared = {str(code) for code in responses}
                for code, description in COMMON_ERRORS.items():
                    if code not in declared:
                        responses[int(code)] = {"description": description, **_ERROR}
        return schema
