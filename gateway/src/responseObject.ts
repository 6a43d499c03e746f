/**
 * An empty object for a response's data (the executor's, the entity cache's answers): keyed by
 * response names, which are the client's (aliases included) and so may be `constructor`,
 * `toString` or `__proto__`. On a `{}`, `obj.__proto__ = 'a'` is dropped and `obj.toString` is
 * inherited: a title's `__proto__: name` came back from the entity cache without the field.
 *
 * Stock's shaping uses `Object.create(null)` for that, and so did ours; but V8 makes such an
 * object a dictionary (a hash table) from the start, where an object from a constructor starts
 * with fast properties: smaller, quicker to fill, and serialized by `JSON.stringify`'s fast path
 * (on a 274 KB HomeScreen answer, `node bench/projection.cjs`: stringify in about 60% of the
 * time). The constructor's prototype is itself a null-prototype object with nothing in it, so
 * nothing is inherited: `obj.toString` is undefined and `obj.__proto__ = x` makes an own
 * property, as on `Object.create(null)`. (A class would not do: its prototype has `constructor`.)
 */
function ResponseObject(this: Record<string, any>): void {}
ResponseObject.prototype = Object.create(null);

export function responseObject(): Record<string, any> {
  return new (ResponseObject as unknown as new () => Record<string, any>)();
}
