import { ApiError } from '@/lib/errors';

export interface FormErrors {
  /** Messages by the form's field name. */
  fields: Record<string, string>;
  /** What no field explains: for the ErrorNote by the submit button. */
  general: unknown;
}

/**
 * Places a mutation's error in its form: the API's validation errors by field (`fieldsByApiKey`
 * maps "items.0.sku" to "sku"), and business refusals whose code names a field (`fieldsByCode`:
 * "insufficient_stock" to "quantity"). The rest stays general.
 */
export function formErrors(
  error: unknown,
  fieldsByApiKey: Record<string, string>,
  fieldsByCode: Record<string, string> = {},
): FormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, general: error };
  const codeField = fieldsByCode[error.code];
  if (codeField) return { fields: { [codeField]: error.message }, general: null };
  const entries = Object.entries(error.fields);
  if (entries.length === 0) return { fields: {}, general: error };
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const [key, message] of entries) {
    const field = fieldsByApiKey[key];
    if (field) fields[field] ??= message;
    else unplaced.push(key ? `${key}: ${message}` : message);
  }
  const general = unplaced.length
    ? new ApiError(error.status, { detail: unplaced.join(' '), code: error.code })
    : null;
  return { fields, general };
}
