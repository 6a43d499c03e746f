import { GraphQLError } from 'graphql';
import { contextWithRequestId, requestIdFrom, requestIdOf, requestIdOfError, tagErrors } from './requestContext';

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

it('each context and each error knows its own request, and nothing else does', () => {
  const a = contextWithRequestId({ viewer: null }, 'a');
  const b = contextWithRequestId({ viewer: null }, 'b');
  expect([requestIdOf(a), requestIdOf(b), requestIdOf({ viewer: null }), requestIdOf(undefined)]).toEqual(['a', 'b', undefined, undefined]);

  const thrown = new Error('the database is gone');
  const located = new GraphQLError('the database is gone', { originalError: thrown });
  const other = new GraphQLError('not found');
  tagErrors([thrown, 'not an object', null], 'a');
  tagErrors([other], 'b');
  // Apollo Server may hand formatError the error it wrapped: found through originalError.
  expect([requestIdOfError(located), requestIdOfError(other), requestIdOfError(new Error('untagged')), requestIdOfError('text')]).toEqual(['a', 'b', undefined, undefined]);
});

it("a context's id survives the shallow copy Apollo Server makes of it per operation", () => {
  const context = contextWithRequestId({ viewer: null }, 'c');
  const copy = Object.assign(Object.create(Object.getPrototypeOf(context)), context);
  expect(requestIdOf(copy)).toBe('c');
});
