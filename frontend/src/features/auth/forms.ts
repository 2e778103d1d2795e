// Small helpers the account forms share: reading a submitted form, and putting an API
// error's messages at the fields they belong to.
import { ApiError, type FieldErrors } from '@/lib/errors';

/** A submitted form's text field, as typed (passwords must not be trimmed). */
export function formText(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value : '';
}

interface SplitErrors {
  /** Messages for the form's own fields, keyed like ApiError.fields. */
  fields: FieldErrors;
  /** What no field can show (wrong credentials, throttling, network…), for an ErrorNote. */
  rest: unknown;
}

/**
 * `fields`: the form's field names as the API reports them ("email",
 * "default_address.city"); `codes`: errors without a field that still belong to one (a wrong
 * current password is `wrong_password`).
 */
export function splitErrors(
  error: unknown,
  fields: readonly string[],
  codes: Readonly<Record<string, string>> = {},
): SplitErrors {
  if (!error) return { fields: {}, rest: null };
  if (!(error instanceof ApiError)) return { fields: {}, rest: error };
  const field = codes[error.code];
  if (field) return { fields: { [field]: error.message }, rest: null };
  const known: FieldErrors = {};
  let unplaced = Object.keys(error.fields).length === 0;
  for (const [name, message] of Object.entries(error.fields)) {
    if (fields.includes(name)) known[name] = message;
    else unplaced = true;
  }
  return { fields: known, rest: unplaced ? error : null };
}
