import { responseObject } from './responseObject';

it('holds any response name as its own field, and inherits nothing', () => {
  const data: Record<string, unknown> = responseObject();
  expect(['toString', 'constructor', 'hasOwnProperty', '__proto__'].map((name) => data[name])).toEqual([undefined, undefined, undefined, undefined]);
  // A client may alias a field by any of these names.
  const answer: [string, unknown][] = [['name', 'Stranger Things'], ['toString', 'a'], ['constructor', { id: '1' }], ['__proto__', ['b']]];
  for (const [name, value] of answer) data[name] = value;
  expect(Object.keys(data)).toEqual(['name', 'toString', 'constructor', '__proto__']);
  expect(JSON.stringify(data)).toBe('{"name":"Stranger Things","toString":"a","constructor":{"id":"1"},"__proto__":["b"]}');
});
