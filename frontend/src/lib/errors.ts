// Every API error body is {"detail", "code"}; a 422 from validation adds
// "errors": [{"loc": [...], "msg", "type"}]. ApiError keeps all of it, and maps field errors to
// the names the forms use ("email", "shipping_address.city").

export interface FieldErrors {
  [field: string]: string;
}

interface ErrorBody {
  detail?: unknown;
  code?: unknown;
  errors?: { loc?: unknown[]; msg?: unknown }[];
}

const LOCATIONS = new Set(['body', 'query', 'path', 'header']);

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;

  constructor(status: number, body: unknown) {
    const parsed = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
    super(typeof parsed.detail === 'string' ? parsed.detail : defaultMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof parsed.code === 'string' ? parsed.code : 'error';
    this.fields = {};
    for (const error of parsed.errors ?? []) {
      const path = (error.loc ?? []).filter(
        (part, index) => !(index === 0 && LOCATIONS.has(String(part))),
      );
      const field = path.join('.');
      if (field && !(field in this.fields) && typeof error.msg === 'string') {
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
