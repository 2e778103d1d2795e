"""Loaded into schemathesis (SCHEMATHESIS_HOOKS): a check of what "a valid request was
rejected" means for this API.

schemathesis's own check (positive_data_acceptance) wants any schema-valid request
answered 2xx, 401, 403, 404, 409 or 429. Here a schema-valid request may still break a
business rule that no JSON Schema can state (date_from after date_to, a category that does
not exist, no shipping address given and none saved, a wrong password or an expired link):
the API answers those 400 or 422 with the rule's own `code`. What it must never do is
refuse such a request as malformed (a body it cannot read, a part that fails its schema, a
value the database cannot store): that would be a constraint missing from the document.
"""

from typing import Any

import schemathesis

from app.core.errors import InvalidValue, RequestInvalid, UnreadableBody

MALFORMED = {
    error.code: error.status_code for error in (RequestInvalid, InvalidValue, UnreadableBody)
}


@schemathesis.check
def valid_request_passes_validation(ctx: Any, response: Any, case: Any) -> bool | None:
    """A request the document calls valid is never refused as malformed."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code < 400:
        return None
    try:
        code = response.json().get("code")
    except ValueError:
        code = None
    if MALFORMED.get(code) == response.status_code:
        raise AssertionError(
            "Schema-valid request refused as invalid: a constraint the API enforces is"
            " missing from the OpenAPI document."
        )
    return None
