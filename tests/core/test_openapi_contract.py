"""The OpenAPI document tells the truth about errors: one error body (ErrorBody), declared for
every status a route can answer, and real answers that match it; 405s name every method of
the path."""

import re
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from pydantic import BaseModel

from app.accounts.models import Role
from app.core.config import get_settings
from app.core.errors import ErrorBody
from app.inventory.exceptions import InsufficientStockBody
from app.main import create_app
from app.orders.exceptions import PriceChangedBody
from tests.fixtures.app import AuthHeaders, UserFactory
from tests.fixtures.inventory import StockedFactory, store_operation

Document = dict[str, Any]
REF = "#/components/schemas/"
BODIES: dict[str, type[BaseModel]] = {
    model.__name__: model for model in (ErrorBody, InsufficientStockBody, PriceChangedBody)
}
HTTP_METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def document(app: FastAPI) -> Document:
    return app.openapi()


def operations(document: Document) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def error_models(document: Document, method: str, path: str, status: int) -> list[str]:
    """The body models the document declares for `status` of an operation (it must declare it)."""
    responses = document["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not declare {status}"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    refs = [option["$ref"] for option in schema.get("anyOf", [schema])]
    assert all(ref.startswith(REF) for ref in refs), schema
    return [ref.removeprefix(REF) for ref in refs]


def assert_documented(
    document: Document, method: str, path: str, response: Response, status: int, code: str
) -> dict[str, Any]:
    """The answer has this status and code, the document declares the status for the
    operation, and the body is valid for one of the models it declares."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert f"`{code}`" in document["paths"][path][method]["responses"][str(status)]["description"]
    names = error_models(document, method, path, status)
    for name in names:
        BODIES[name].model_validate(body)
    return body


def test_fastapis_validation_error_schema_is_gone(document: Document) -> None:
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    assert "HTTPValidationError" not in str(document)


def test_every_error_response_has_the_error_body(document: Document) -> None:
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert set(error_models(document, method, path, int(status))) <= set(BODIES)
                assert re.search(r"`\w+`", response["description"]), (method, path, status)
        assert "500" in operation["responses"], (method, path)


def test_the_documents_error_bodies_are_the_models(document: Document) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["ErrorBody"]["required"] == ["detail", "code"]
    assert schemas["ErrorBody"]["additionalProperties"] is True
    assert set(schemas["ErrorItem"]["required"]) == {"loc", "msg", "type"}
    assert "items" in schemas["InsufficientStockBody"]["required"]


def test_every_operation_that_takes_input_declares_422(document: Document) -> None:
    for path, method, operation in operations(document):
        if operation.get("parameters") or operation.get("requestBody"):
            assert error_models(document, method, path, 422) == ["ErrorBody"]


def test_protected_operations_declare_401_and_403(document: Document) -> None:
    """Every operation that reads a bearer token (required or optional) can refuse it."""
    protected = [(p, m) for p, m, op in operations(document) if op.get("security")]
    assert len(protected) > 30
    for path, method in protected:
        error_models(document, method, path, 401)
        error_models(document, method, path, 403)


@pytest.mark.parametrize(
    ("method", "path", "statuses", "absent"),
    [
        # Rate-limited in Redis: 429, and 503 while Redis is down.
        ("post", "/api/v1/auth/login", {401, 403, 422, 429, 503}, {404}),
        # A loader (404), an admin-only role check (403), the service's own conflicts (409).
        ("patch", "/api/v1/users/{user_id}", {401, 403, 404, 409, 422}, {429, 503}),
        ("post", "/api/v1/stores/{store_id}", {401, 403, 404, 409, 422}, {429}),
        # The catalog's readers: a bad token is refused, and nothing else but input.
        ("get", "/api/v1/products", {401, 403, 422}, {404, 409}),
        # A read neither writes nor takes input.
        ("get", "/api/v1/shop", set(), {401, 409, 422}),
    ],
)
def test_statuses_come_from_the_dependencies_and_the_service(
    document: Document, method: str, path: str, statuses: set[int], absent: set[int]
) -> None:
    declared = {int(status) for status in document["paths"][path][method]["responses"]}
    assert statuses | {500} <= declared
    assert not absent & declared


async def test_real_errors_match_the_document(
    client: AsyncClient,
    document: Document,
    make_user: UserFactory,
    auth_headers: AuthHeaders,
    make_stocked: StockedFactory,
) -> None:
    admin = await auth_headers(await make_user(role=Role.ADMIN))
    customer = await auth_headers(await make_user())
    users = "/api/v1/users/{user_id}"

    unknown = await client.get(f"/api/v1/users/{uuid.uuid4()}", headers=admin)
    assert_documented(document, "get", users, unknown, 404, "user_not_found")
    anonymous = await client.get("/api/v1/users/me")
    assert_documented(document, "get", "/api/v1/users/me", anonymous, 401, "not_authenticated")
    forbidden = await client.get(f"/api/v1/users/{uuid.uuid4()}", headers=customer)
    assert_documented(document, "get", users, forbidden, 403, "insufficient_role")
    invalid = await client.patch("/api/v1/users/not-an-id", json={"role": "boss"}, headers=admin)
    body = assert_documented(document, "patch", users, invalid, 422, "validation_error")
    assert {tuple(error["loc"]) for error in body["errors"]} >= {("path", "user_id")}

    # Not even JSON: bytes that are no Unicode text.
    garbled = await client.post(
        "/api/v1/auth/refresh",
        content=b"\xff\xfe\xfd",
        headers={"Content-Type": "application/json"},
    )
    assert_documented(document, "post", "/api/v1/auth/refresh", garbled, 400, "bad_request")
    # A path value that leads to no route (an image id must be a UUID).
    image = f"/api/v1/products/{uuid.uuid4()}/images/nope"
    nowhere = await client.delete(image, headers=admin)
    path = "/api/v1/products/{ref}/images/{image_id}"
    assert_documented(document, "delete", path, nowhere, 404, "not_found")

    warehouse, product = await make_stocked(2)
    short = await store_operation(client, admin, warehouse.code, "demand", product.sku, 5)
    path = "/api/v1/stores/{store_id}"
    body = assert_documented(document, "post", path, short, 409, "insufficient_stock")
    InsufficientStockBody.model_validate(body)
    assert body["items"][0]["available"] == 2


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        # Three routes serve /users/me; Starlette's own 405 named the first one's GET only.
        ("PUT", "/api/v1/users/me", "DELETE, GET, PATCH"),
        ("POST", "/api/v1/users/me/profile", "DELETE, GET, PATCH, PUT"),
        ("TRACE", "/api/v1/products", "GET, POST"),
        ("PUT", f"/api/v1/products/{uuid.uuid4()}", "DELETE, GET, PATCH"),
        ("HEAD", "/api/v1/shop", "GET"),
        ("OPTIONS", "/api/v1/cart", "DELETE, GET"),
        ("GET", "/api/v1/stores/S1/clean", "POST"),
    ],
)
async def test_a_method_the_path_does_not_serve_is_405_with_every_allowed_one(
    client: AsyncClient, method: str, path: str, allow: str
) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    if method != "HEAD":
        assert response.json()["code"] == "method_not_allowed"


async def test_allow_lists_the_documents_methods_for_every_path(
    client: AsyncClient, document: Document
) -> None:
    for path, item in document["paths"].items():
        url = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)
        documented = {method.upper() for method in item}
        unsupported = next(m for m in HTTP_METHODS if m.upper() not in documented)
        response = await client.request(unsupported, url)
        assert response.status_code == 405, (unsupported, url)
        assert set(response.headers["allow"].split(", ")) == documented, path


async def test_an_unknown_path_is_still_404_whatever_the_method(client: AsyncClient) -> None:
    response = await client.put("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_route_added_later_is_declared_too() -> None:
    """FastAPI builds the document anew once routes change: the errors are declared again."""
    app = create_app(get_settings())
    assert "/late" not in app.openapi()["paths"]

    @app.get("/late")
    async def late(number: int) -> None: ...

    responses = app.openapi()["paths"]["/late"]["get"]["responses"]
    assert error_models(app.openapi(), "get", "/late", 422) == ["ErrorBody"]
    assert "500" in responses
    assert "HTTPValidationError" not in app.openapi()["components"]["schemas"]
