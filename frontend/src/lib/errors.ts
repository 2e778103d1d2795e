// Every API error body is the document's ErrorBody: {"detail", "code"}, and for a 422 from
// validation "errors": [{"loc": [...], "msg", "type"}]. ApiError keeps all of it, and maps field
// errors to the names the forms use ("email", "shipping_address.city").
import type { components } from '@/api/schema';

/** The body of every error the API answers, as its OpenAPI document declares it. */
export type ErrorBody = components['schemas']['ErrorBody'];

export interface FieldErrors {
  [field: string]: string;
}

const LOCATIONS = new Set(['body', 'query', 'path', 'header']);

// A proxy in between (a 502 from nginx) or a lost connection answers something else.
function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const { detail, code } = body as Partial<ErrorBody>;
  return typeof detail === 'string' && typeof code === 'string';
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;
  /** The whole body when it is the API's, with the fields some errors add (e.g. `items`). */
  readonly body: ErrorBody | undefined;

  constructor(status: number, body: unknown) {
    const parsed = isErrorBody(body) ? body : undefined;
    super(parsed?.detail ?? defaultMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = parsed?.code ?? 'error';
    this.body = parsed;
    this.fields = {};
    for (const error of parsed?.errors ?? []) {
      const path = error.loc.filter((part, index) => !(index === 0 && LOCATIONS.has(String(part))));
      const field = path.join('.');
      if (field && !(field in this.fields)) {
        this.fields[field] = cleanMessage(error.msg);
      }
    }
  }
}

function defaultMessage(status: number): string {
  if (status === 0) return 'The shop cannot be reached. Check your connection and try again.';
  if (status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  return 'The request was refused.';
}

// pydantic prefixes custom messages with "Value error, ".
function cleanMessage(message: string): string {
  return message.replace(/^Value error, /, '');
}

/** The message to show for any error a query or mutation threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return defaultMessage(0);
  return defaultMessage(500);
}

/** The data of an openapi-fetch result, or its error thrown as an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(result.response.status, result.error);
  }
  return result.data as T;
}
