import { differences } from './compare';

const answer = (body: object, status = 200) => ({ status, body: JSON.stringify(body) });
const labels: [string, string] = ['stock', 'ours'];
const error = (message: string, path?: Array<string | number>, code?: string) => ({ message, ...(path ? { path } : {}), extensions: { ...(code ? { code } : {}), requestId: Math.random().toString() } });

test('equal answers agree, whatever their request ids and the order their errors came in', () => {
  const a = answer({ errors: [error('a', ['x', 0], 'NOT_FOUND'), error('b')], data: { x: [null] } });
  const b = answer({ errors: [error('b'), error('a', ['x', 0], 'NOT_FOUND')], data: { x: [null] } });
  expect(differences(a, b, labels)).toEqual([]);
});

test('data must match byte for byte, field order included', () => {
  expect(differences(answer({ data: { a: 1, b: 2 } }), answer({ data: { b: 2, a: 1 } }), labels)).toEqual([
    expect.stringMatching(/^data differs at character 2/),
  ]);
  expect(differences(answer({ data: null }), answer({}), labels)).toEqual([expect.stringMatching(/^data differs/)]);
});

test('errors must match in message, path and code, and in number', () => {
  const base = answer({ errors: [error('a', ['x'], 'NOT_FOUND')], data: { x: null } });
  for (const other of [
    answer({ errors: [error('b', ['x'], 'NOT_FOUND')], data: { x: null } }),
    answer({ errors: [error('a', ['y'], 'NOT_FOUND')], data: { x: null } }),
    answer({ errors: [error('a', ['x'])], data: { x: null } }),
    answer({ errors: [error('a', ['x'], 'NOT_FOUND'), error('a', ['x'], 'NOT_FOUND')], data: { x: null } }),
    answer({ data: { x: null } }),
  ]) expect(differences(base, other, labels)).toEqual([expect.stringMatching(/^errors differ/)]);
  // As multisets: the same errors, but one of them twice instead of the other.
  const twice = (m: string, n: string) => answer({ errors: [error(m), error(m), error(n)], data: null });
  expect(differences(twice('a', 'b'), twice('b', 'a'), labels)).toEqual([expect.stringMatching(/^errors differ/)]);
});

test('value-completion errors (stock\'s extensions) and the HTTP status count too', () => {
  const completion = (path: string[]) => answer({ data: { x: null }, extensions: { valueCompletion: [{ message: 'Cannot return null', path }] } });
  expect(differences(completion(['x']), completion(['y']), labels)).toEqual([expect.stringMatching(/^extensions.valueCompletion differs/)]);
  expect(differences(answer({ data: null }, 200), answer({ data: null }, 500), labels)).toEqual(['HTTP status: stock 200, ours 500']);
  expect(differences({ status: 200, body: 'oops' }, answer({ data: null }), labels)).toEqual(expect.arrayContaining(['non-JSON body on stock']));
});
