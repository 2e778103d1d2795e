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

  it('keeps the fields an error adds to the body', () => {
    const items = [{ product_id: 'p1', sku: 'A-1', requested: 3, available: 1 }];
    const error = new ApiError(409, { detail: 'Not enough stock', code: 'insufficient_stock', items });
    expect(error.code).toBe('insufficient_stock');
    expect(error.body?.items).toEqual(items);
  });

  it('says something useful when the body is not ours', () => {
    expect(new ApiError(502, 'Bad gateway').message).toMatch(/on our side/);
    expect(new ApiError(404, { detail: 'Not Found' }).code).toBe('error');
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/cannot be reached/);
  });
});
