import { ApiError, errorMessage } from './errors';

describe('ApiError', () => {
  it('keeps the detail and code, and maps validation errors to form field names', () => {
    const error = new ApiError(422, {
      detail: 'body.email: value is not a valid email address',
      code: 'validation_error',
      errors: [
        { loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error' },
        { loc: ['body', 'shipping_address', 'city'], msg: 'Value error, City is required', type: 'value_error' },
      ],
    });
    expect(error.message).toBe('body.email: value is not a valid email address');
    expect(error.code).toBe('validation_error');
    expect(error.fields).toEqual({
      email: 'value is not a valid email address',
      'shipping_address.city': 'City is required',
    });
  });

  it('says something useful when the body is not ours', () => {
    expect(new ApiError(502, 'Bad gateway').message).toMatch(/on our side/);
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/cannot be reached/);
  });
});
