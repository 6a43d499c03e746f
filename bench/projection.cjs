// `node bench/projection.cjs` (after `npm run build`): stock's result shaping (computeResponse) against our
// executor's compiled projection on one synthetic HomeScreen answer (10 rows, 20 of everything
// below), in process: the same output checked, then milliseconds per shaping, and per
// JSON.stringify of each one's output (the same bytes: stock's objects are Object.create(null)
// dictionaries, ours have fast properties; gateway/src/responseObject.ts). No subgraphs, no HTTP.
const fs = require('fs');
const path = require('node:path').resolve(__dirname, '..') + '/';
const fi = require(path + 'node_modules/@apollo/federation-internals');
const { parse } = require(path + 'node_modules/graphql');
const { computeResponse } = require(path + 'node_modules/@apollo/gateway/dist/resultShaping');
const { compileProjection, project } = require(path + 'gateway/dist/executor/compileProjection');
const api = fi.Supergraph.build(fs.readFileSync(path + 'gateway/supergraph.graphql', 'utf8')).apiSchema();
const doc = parse(fs.readFileSync(path + 'operations/HomeScreen.graphql', 'utf8'));
const op = fi.operationFromDocument(api, doc, { validate: false });
function gen(selectionSet, type, depth) {
  const o = { __typename: type.name };
  for (const sel of selectionSet.selections()) {
    if (sel.kind !== 'FieldSelection') { Object.assign(o, gen(sel.selectionSet, type, depth)); continue; }
    const f = sel.element; let t = f.definition.type; let list = false;
    while (fi.isWrapperType(t)) { if (fi.isListType(t)) list = true; t = t.ofType; }
    const val = () => sel.selectionSet ? gen(sel.selectionSet, t, depth + 1) : f.name === '__typename' ? type.name : fi.isEnumType(t) ? t.values[0].name : t.name === 'Int' ? 7 : t.name === 'Float' ? 1.5 : t.name === 'Boolean' ? true : 'v' + depth;
    o[f.responseName()] = list ? Array.from({ length: depth === 0 ? 10 : 20 }, val) : val();
  }
  return o;
}
const input = gen(op.selectionSet, api.schemaDefinition.rootType('query'), 0);
const vars = { profileId: 'p', rows: 10, itemsPerRow: 20 };
const proj = compileProjection(op);
const a = JSON.stringify(project(proj, vars, input).data), b = JSON.stringify(computeResponse({ operation: op, variables: vars, input, introspectionHandling: () => null }).data);
console.log('same output', a === b, a.length);
const shaped = {};
for (const [name, fn] of [['stock computeResponse', () => computeResponse({ operation: op, variables: vars, input, introspectionHandling: () => null })], ['ours project', () => project(proj, vars, input)]]) {
  console.log(name, time(fn).toFixed(3), 'ms per home screen');
  shaped[name] = fn().data;
}
for (const [name, data] of Object.entries(shaped)) console.log(`JSON.stringify of ${name}'s output`, time(() => JSON.stringify(data)).toFixed(3), 'ms');

function time(fn) {
  for (let i = 0; i < 200; i++) fn();
  const t = process.hrtime.bigint(); const N = 1000;
  for (let i = 0; i < N; i++) fn();
  return Number(process.hrtime.bigint() - t) / 1e6 / N;
}
