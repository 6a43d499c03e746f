import { currentRequestId, requestIdFrom, runInRequest } from './requestContext';

describe('requestIdFrom', () => {
  it('keeps an id-shaped client value', () => {
    expect(requestIdFrom('3f2a9c1e-0b7d-4c55-9a51-1b2c3d4e5f60')).toBe('3f2a9c1e-0b7d-4c55-9a51-1b2c3d4e5f60');
    expect(requestIdFrom(['device-7:req.42', 'second'])).toBe('device-7:req.42');
  });

  it('replaces what is not an id with a fresh UUID', () => {
    for (const bad of [undefined, '', ' leading', 'with space', 'new\nline', '<script>', 'x'.repeat(129), 42]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

it('the id follows the request through awaits, and only that request', async () => {
  const seen = await Promise.all(
    ['a', 'b'].map((id) =>
      runInRequest({ requestId: id }, async () => {
        await new Promise((r) => setTimeout(r, id === 'a' ? 20 : 5));
        return currentRequestId();
      }),
    ),
  );
  expect(seen).toEqual(['a', 'b']);
  expect(currentRequestId()).toBeUndefined();
});
