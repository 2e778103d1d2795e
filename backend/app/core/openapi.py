"""The OpenAPI document declares every error a route can answer, with the one error body.

Nothing is written per status: an error class carries its status and code (core.errors and
each domain's exceptions.py), and a function declares the ones it raises with `@raises(...)`:
a dependency once (the current user, a role check, a loader, the rate limits), a route only
for what its service raises. When the document is built, each route's statuses are derived
from its endpoint and its whole dependency tree, plus what the error handlers answer for any
route: 422 when it takes input (FastAPI's own rule), 400 when it reads a body (one that
cannot be parsed), 404 when its path has parameters (a value that leads to no route), 409 when
a write can lose a race to the database's constraints, 500 always. FastAPI's default 422
schema (HTTPValidationError) goes.
"""

from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from pydantic.json_schema import models_json_schema

from app.core.db import get_session
from app.core.errors import (
    ChangedMeanwhile,
    DomainError,
    ErrorBody,
    InternalError,
    InvalidValue,
    NotFound,
    RequestInvalid,
    UnreadableBody,
    declared_errors,
)

REF_TEMPLATE = "#/components/schemas/{model}"
# FastAPI's own schemas for its 422 answer, which this API never sends.
FASTAPI_422_SCHEMAS = ("HTTPValidationError", "ValidationError")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _tree(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for dependency in dependant.dependencies:
        yield from _tree(dependency)


def api_routes(app: FastAPI) -> Iterator[RouteContext]:
    """The documented API routes, included routers' too, as they are served."""
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            yield route


def route_errors(route: RouteContext, *, takes_input: bool) -> set[type[DomainError]]:
    """Every error class `route` can answer with."""
    dependants = list(_tree(route.dependant))
    calls = [dependant.call for dependant in dependants]
    errors: set[type[DomainError]] = {InternalError}
    for call in calls:
        errors.update(declared_errors(call))
    if takes_input:
        errors.update((RequestInvalid, InvalidValue))
    if route.body_field is not None:
        errors.add(UnreadableBody)
    if any(dependant.path_params for dependant in dependants):
        errors.add(NotFound)
    if (route.methods or set()) - READ_METHODS and get_session in calls:
        errors.add(ChangedMeanwhile)
    return errors


def _ref(model: type[ErrorBody]) -> dict[str, str]:
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _responses(errors: set[type[DomainError]]) -> dict[str, dict[str, Any]]:
    """The OpenAPI responses for `errors`, one per status, listing the codes it may carry."""
    by_status: dict[int, list[type[DomainError]]] = {}
    for error in errors:
        by_status.setdefault(error.status_code, []).append(error)
    responses: dict[str, dict[str, Any]] = {}
    for status, group in sorted(by_status.items()):
        codes = ", ".join(f"`{code}`" for code in sorted({error.code for error in group}))
        # ErrorBody allows extra fields, so a body with more (e.g. insufficient_stock's items)
        # is named only where one of its errors can occur.
        models = sorted({error.body for error in group}, key=lambda model: model.__name__)
        schema = _ref(models[0]) if len(models) == 1 else {"anyOf": [_ref(m) for m in models]}
        responses[str(status)] = {
            "description": f"{HTTPStatus(status).phrase}: {codes}",
            "content": {"application/json": {"schema": schema}},
        }
    return responses


def declare_errors(app: FastAPI, document: dict[str, Any]) -> None:
    """Add every route's error responses to `document` (FastAPI's, for `app`)."""
    models: set[type[ErrorBody]] = set()
    for route in api_routes(app):
        for method in route.methods or ():
            operation = document["paths"][route.path_format][method.lower()]
            errors = route_errors(route, takes_input="422" in operation["responses"])
            models.update(error.body for error in errors)
            responses = {**operation["responses"], **_responses(errors)}
            operation["responses"] = dict(sorted(responses.items()))
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_422_SCHEMAS:
        schemas.pop(name, None)
    _, definitions = models_json_schema(
        [(model, "serialization") for model in models], ref_template=REF_TEMPLATE
    )
    for name, schema in definitions.get("$defs", {}).items():
        if schemas.setdefault(name, schema) != schema:
            raise RuntimeError(f"two different schemas are named {name} in the document")


def document_errors(app: FastAPI) -> None:
    """Make `app.openapi()` declare the errors (after every route was added)."""
    build = app.openapi
    # FastAPI builds the document again when routes were added since: declare on each build.
    declared: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        document = build()
        if not declared or declared[0] is not document:
            declare_errors(app, document)
            declared[:] = [document]
        return document

    app.openapi = openapi  # type: ignore[method-assign]
