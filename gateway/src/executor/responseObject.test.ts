import { responseObject } from './responseObject';

it('holds any response name as its own field, and inherits nothing', () => {
  const data = responseObject();
  expect([data.toString, data.constructor, data.hasOwnProperty, data.__proto__]).toEqual([undefined, undefined, undefined, undefined]);
  // A client may alias a field by any of these names.
  data.name = 'Stranger Things';
  data.toString = 'a';
  data.constructor = { id: '1' };
  data['__proto__'] = ['b'];
  expect(Object.keys(data)).toEqual(['name', 'toString', 'constructor', '__proto__']);
  expect(JSON.stringify(data)).toBe('{"name":"Stranger Things","toString":"a","constructor":{"id":"1"},"__proto__":["b"]}');
});
