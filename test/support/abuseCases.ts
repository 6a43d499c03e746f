/**
 * The hostile and malformed requests of the abuse suite (test/abuse.test.ts), each with what a
 * client must get back: an HTTP status and an error code. Built as data so that adding a case is
 * one line, and so the suite can say how many it ran.
 */

export interface RawRequest {
  method: string;
  /** Query string included, e.g. `/?query=...`. */
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Expected {
  status: number;
  /** The first error's extensions.code; undefined: no errors at all. */
  code?: string | string[];
  /** Extra check on the parsed body (data of an accepted request). */
  check?: (body: any) => void;
}

export interface AbuseCase {
  group: string;
  name: string;
  request: RawRequest;
  expected: Expected;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export function graphql(query: string, variables?: Record<string, unknown>, extra: Record<string, unknown> = {}): RawRequest {
  return { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query, variables, ...extra }) };
}

const PROFILE = 'demo-premium-1';

/** account { profiles { account { profiles ... } } }, `levels` fields deep. */
function deepAccount(levels: number): string {
  let inner = 'id';
  for (let i = levels - 2; i >= 1; i -= 1) inner = i % 2 === 1 ? `profiles { ${inner} }` : `account { ${inner} }`;
  return `{ account(id: "demo-premium") { ${inner} } }`;
}

function aliases(count: number, field: (i: number) => string): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field(i)}`).join(' ')} }`;
}

const HOME_ROW_FIELDS = 'id kind title items { id name kind maturityRating releaseYear artwork(type: BOXART) { url width height } genres { id name } progress(profileId: "demo-premium-1") { positionSeconds durationSeconds completed } }';

function structureCases(): AbuseCase[] {
  const cases: AbuseCase[] = [];
  const add = (group: string, name: string, request: RawRequest, expected: Expected) => cases.push({ group, name, request, expected });

  // Depth: the issue's 20 levels, and more; 12 is the limit, 13 the first refused.
  add('depth', 'account/profiles 12 levels deep is served', graphql(deepAccount(12)), { status: 200, check: (b) => expect(b.data.account.profiles.length).toBeGreaterThan(0) });
  for (const levels of [13, 20, 50, 100, 200]) add('depth', `account/profiles ${levels} levels deep`, graphql(deepAccount(levels)), { status: 400, code: 'MAX_DEPTH_EXCEEDED' });
  add('depth', '20 levels through fragments', graphql(`{ account(id: "demo-premium") { ...A } } ${Array.from({ length: 10 }, (_, i) => `fragment ${i % 2 ? 'P' : 'A'}${i} on ${i % 2 ? 'Profile' : 'Account'} { id }`).join(' ')} fragment A on Account { profiles { ...P } } fragment P on Profile { account { profiles { account { profiles { account { profiles { account { profiles { account { profiles { account { profiles { id } } } } } } } } } } } } }`), { status: 400, code: ['MAX_DEPTH_EXCEEDED', 'GRAPHQL_VALIDATION_FAILED'] });
  add('depth', '20 levels through inline fragments', graphql(`{ account(id: "demo-premium") { ${'... on Account { profiles { ... on Profile { account { '.repeat(10)}id${' } } } }'.repeat(10)} } }`), { status: 400, code: 'MAX_DEPTH_EXCEEDED' });
  add('depth', 'deep TitleDetails-style nesting via similar', graphql(`{ title(id: "t-00001") { ${'similar(first: 1) { '.repeat(15)}id${' }'.repeat(15)} } }`), { status: 400, code: 'MAX_DEPTH_EXCEEDED' });

  // Aliases: the issue's 1,000 and 10,000 account(id:) aliases; 30 is the limit.
  add('aliases', '30 aliases of account(id:) are served', graphql(aliases(20, (i) => `account(id: "demo-premium") { id${i % 2 ? ' email' : ''} }`)), { status: 200 });
  for (const n of [31, 100, 200]) add('aliases', `${n} aliases of account(id:)`, graphql(aliases(n, () => 'account(id: "demo-premium") { id }')), { status: 400, code: 'MAX_ALIASES_EXCEEDED' });
  // Past 3,000 tokens the parser stops reading: the document is never even built.
  add('aliases', '1,000 aliases of account(id:)', graphql(aliases(1_000, () => 'account(id: "demo-premium") { id }')), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  add('aliases', '10,000 aliases of account(id:)', graphql(aliases(10_000, () => 'account(id: "demo-premium") { id }')), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  add('aliases', '1,000 aliases of homeRows(first: 50, itemsPerRow: 100)', graphql(`{ profile(id: "${PROFILE}") ${aliases(1_000, () => 'homeRows(first: 50, itemsPerRow: 100) { id }')} }`), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  add('aliases', '100 aliases of homeRows(first: 50, itemsPerRow: 100)', graphql(`{ profile(id: "${PROFILE}") ${aliases(100, () => 'homeRows(first: 50, itemsPerRow: 100) { id }')} }`), { status: 400, code: 'MAX_ALIASES_EXCEEDED' });
  add('aliases', '40 aliased nested fields', graphql(`{ title(id: "t-00001") ${aliases(40, () => 'name')} }`), { status: 400, code: 'MAX_ALIASES_EXCEEDED' });
  add('aliases', '10,000 __typename selections', graphql(`{ ${'__typename '.repeat(10_000)}}`), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  add('aliases', '200 __typename selections are served', graphql(`{ ${'__typename '.repeat(200)}}`), { status: 200 });
  // graphql-js caps its own field-overlap comparisons ("Validation aborted.").
  add('aliases', '2,000 __typename selections', graphql(`{ ${'__typename '.repeat(2_000)}}`), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('aliases', '5,000 aliased __typename', graphql(aliases(5_000, () => '__typename')), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });

  // Cost: refused before any subgraph is called.
  const homeScreen = (rows: number, itemsPerRow: number) => `{ profile(id: "${PROFILE}") { homeRows(first: ${rows}, itemsPerRow: ${itemsPerRow}) { ${HOME_ROW_FIELDS} } } }`;
  add('cost', 'the largest legitimate home screen (50 x 100) is served', graphql(homeScreen(50, 100)), { status: 200, check: (b) => expect(b.data.profile.homeRows.length).toBeGreaterThan(0) });
  add('cost', 'home screen 50 x 101', graphql(homeScreen(50, 101)), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'home screen 51 x 100', graphql(homeScreen(51, 100)), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'home screen 1000 x 1000', graphql(homeScreen(1_000, 1_000)), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'home screen 2^31-1 rows', graphql(homeScreen(2 ** 31 - 1, 1)), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'two aliased maximal home screens', graphql(`{ profile(id: "${PROFILE}") { a: homeRows(first: 50, itemsPerRow: 100) { ${HOME_ROW_FIELDS} } b: homeRows(first: 50, itemsPerRow: 100) { ${HOME_ROW_FIELDS} } } }`), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', '20 aliased maximal home screens with similar(first: 50) on every tile', graphql(aliases(20, () => `profile(id: "${PROFILE}") { homeRows(first: 50, itemsPerRow: 100) { items { id similar(first: 50) { id name } } } }`)), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'the issue\'s 50 aliased maximal home screens with similar(first: 50)', graphql(aliases(50, () => `profile(id: "${PROFILE}") { homeRows(first: 50, itemsPerRow: 100) { items { id similar(first: 50) { id name } } } }`)), { status: 400, code: 'MAX_ALIASES_EXCEEDED' });
  add('cost', 'one home screen with similar(first: 50) on every tile', graphql(`{ profile(id: "${PROFILE}") { homeRows(first: 50, itemsPerRow: 100) { items { id similar(first: 50) { id } } } } }`), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'HomeScreen variables rows 50, itemsPerRow 101', graphql('query H($r: Int, $i: Int) { profile(id: "demo-premium-1") { homeRows(first: $r, itemsPerRow: $i) { id items { id } } } }', { r: 50, i: 5_000 }), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'search(first: 100000)', graphql(`{ profile(id: "${PROFILE}") { search(query: "a", first: 100000) { id similar(first: 50) { id } } } }`), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'continueWatching(first: 1000000)', graphql(`{ profile(id: "${PROFILE}") { continueWatching(first: 1000000) { title { id similar(first: 50) { id } } } } }`), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'seasons x episodes x similar', graphql(`{ a: title(id: "t-00002") { seasons { episodes { title { similar(first: 50) { similar(first: 50) { id } } } } } } }`), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'similar of similar of similar', graphql('{ title(id: "t-00001") { similar(first: 50) { similar(first: 50) { similar(first: 50) { id } } } } }'), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('cost', 'the estimate is in extensions when asked for', { ...graphql(homeScreen(2, 3)), headers: { ...JSON_HEADERS, 'x-graphql-cost': '1' } }, { status: 200, check: (b) => expect(b.extensions.cost).toEqual({ estimated: 1 + 2 * (1 + 3 * 8), max: 40_051 }) });
  add('cost', 'the refusal carries cost and maxCost', graphql(homeScreen(60, 100)), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE', check: (b) => expect(b.errors[0].extensions).toMatchObject({ cost: 1 + 60 * 801, maxCost: 40_051 }) });

  // Breadth: 20 root fields at most.
  add('breadth', '20 root fields are served', graphql(aliases(20, (i) => `title(id: "t-0000${(i % 9) + 1}") { id }`)), { status: 200 });
  add('breadth', '21 root fields', graphql(aliases(21, () => 'genres { id }')), { status: 400, code: 'MAX_ROOT_FIELDS_EXCEEDED' });
  add('breadth', '30 root fields through fragments', graphql(`{ ...F ...G } fragment F on Query { ${Array.from({ length: 15 }, (_, i) => `f${i}: genres { id }`).join(' ')} } fragment G on Query { ${Array.from({ length: 15 }, (_, i) => `g${i}: genres { id }`).join(' ')} }`), { status: 400, code: 'MAX_ROOT_FIELDS_EXCEEDED' });
  add('breadth', 'wide selection of every Title field', graphql('{ title(id: "t-00001") { id name kind synopsis releaseYear maturityRating runtimeSeconds genres { id name } artwork(type: HERO) { url } seasons { number } } }'), { status: 200 });

  // Fragments: cycles and explosions.
  add('fragments', 'a fragment spreading itself', graphql('{ ...A } fragment A on Query { ...A }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('fragments', 'two fragments spreading each other', graphql('{ title(id: "t-00001") { ...A } } fragment A on Title { ...B } fragment B on Title { ...A }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('fragments', 'a five-fragment cycle', graphql(`{ ...F0 } ${Array.from({ length: 5 }, (_, i) => `fragment F${i} on Query { ...F${(i + 1) % 5} }`).join(' ')}`), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  // Each fragment spreads the next `fanout` times: fanout^levels paths from a short document.
  const explosion = (levels: number, fanout: number) => `{ ...F0 } ${Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ${i + 1 < levels ? `...F${i + 1} `.repeat(fanout) : 'genres { id }'} }`).join(' ')}`;
  add('fragments', 'fragment explosion, 2^30 paths (deep)', graphql(explosion(30, 2)), { status: 400, code: 'MAX_DEPTH_EXCEEDED' });
  add('fragments', 'fragment explosion, 20^4 paths (wide)', graphql(explosion(4, 20)), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('fragments', 'fragment explosion, 8^5 paths', graphql(explosion(5, 8)), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('fragments', 'a small fragment fan-out is served', graphql(explosion(2, 3)), { status: 200 });
  add('fragments', 'fragment explosion of similar lists', graphql(`{ title(id: "t-00001") { ...T0 } } ${Array.from({ length: 3 }, (_, i) => `fragment T${i} on Title { ${i < 2 ? `similar(first: 50) { ${`...T${i + 1} `.repeat(10)}}` : 'id'} }`).join(' ')}`), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('fragments', 'an unused fragment', graphql('{ __typename } fragment U on Query { __typename }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('fragments', 'a fragment on an unknown type', graphql('{ ...U } fragment U on Nope { id }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('fragments', 'a spread of an undefined fragment', graphql('{ ...Missing }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });

  // Directives.
  add('directives', '50 directives are served', graphql(`{ ${'... @include(if: true) { __typename } '.repeat(50)}}`), { status: 200 });
  add('directives', '51 directives', graphql(`{ ${'... @include(if: true) { __typename } '.repeat(51)}}`), { status: 400, code: 'MAX_DIRECTIVES_EXCEEDED' });
  add('directives', 'the same directive twice on a field', graphql('{ __typename @include(if: true) @include(if: true) }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('directives', '500 @skip on one field', graphql(`{ __typename ${'@skip(if: false) '.repeat(500)}}`), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  add('directives', '60 directives over many fields', graphql(`{ ${Array.from({ length: 15 }, (_, i) => `t${i}: title(id: "t-00001") @include(if: true) { id @skip(if: false) name @include(if: true) kind @skip(if: false) }`).join(' ')} }`), { status: 400, code: 'MAX_DIRECTIVES_EXCEEDED' });
  add('directives', 'an unknown directive', graphql('{ __typename @evil }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('directives', 'a directive without its argument', graphql('{ __typename @include }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  // Declared under either executor (gateway/src/executor/deferDirective.ts): without a multipart Accept, one answer.
  add('directives', '@defer is served', graphql('{ title(id: "t-00001") { id ... @defer { name } } }'), { status: 200 });

  // Tokens and syntax.
  add('syntax', '3,000 tokens is the limit: a long document of comments is fine', graphql(`# ${'x'.repeat(500_000)}\n{ __typename }`), { status: 200 });
  add('syntax', 'a syntax error', graphql('{ title(id: "t-00001") { id '), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  add('syntax', 'an unterminated string', graphql('{ title(id: "t-0000 }'), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  add('syntax', 'an unknown field', graphql('{ titel(id: "t-00001") { id } }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('syntax', 'a subscription (the schema has none)', graphql('subscription { title(id: "t-00001") { id } }'), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('syntax', 'an empty query', graphql(''), { status: 400, code: 'BAD_REQUEST' });
  add('syntax', 'a query of only whitespace', graphql('   \n  '), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  add('syntax', 'a 100-level list literal', graphql(`{ titles(ids: ${'['.repeat(100)}"t"${']'.repeat(100)}) { id } }`), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  add('syntax', 'a deep input object literal', graphql(`mutation { createProfile(input: { accountId: "a", name: "n", avatarUrl: ${'{ a: '.repeat(200)}1${' }'.repeat(200)} }) { id } }`), { status: 400, code: ['GRAPHQL_PARSE_FAILED', 'MAX_DEPTH_EXCEEDED', 'GRAPHQL_VALIDATION_FAILED'] });
  return cases;
}

function variableCases(): AbuseCase[] {
  const cases: AbuseCase[] = [];
  const add = (name: string, request: RawRequest, expected: Expected) => cases.push({ group: 'variables', name, request, expected });
  const search = 'query S($q: String!) { profile(id: "demo-premium-1") { search(query: $q, first: 3) { id } } }';
  add('a 900 KB string variable', graphql(search, { q: 'x'.repeat(900_000) }), { status: 400, code: 'BAD_USER_INPUT' });
  add('a 2 KB string variable', graphql(search, { q: 'x'.repeat(2_000) }), { status: 400, code: 'BAD_USER_INPUT' });
  add('50,000 unused variables', graphql('{ __typename }', Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`v${i}`, i]))), { status: 200 });
  add('100,000 unused variables (over the body cap)', graphql('{ __typename }', Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`v${i}`, i]))), { status: 413, code: 'PAYLOAD_TOO_LARGE' });
  // Written as text: too deep for JSON.stringify, not for a hostile client.
  add('a variable nested 5,000 deep', { method: 'POST', headers: JSON_HEADERS, body: `{"query":${JSON.stringify(search)},"variables":{"q":"a","deep":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}}` }, { status: 400, code: 'BAD_USER_INPUT' });
  add('a variable nested 100,000 deep', { method: 'POST', headers: JSON_HEADERS, body: `{"query":${JSON.stringify(search)},"variables":{"q":"a","deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}}` }, { status: 400, code: ['BAD_REQUEST', 'BAD_USER_INPUT'] });
  add('an input object nested 50 deep', graphql('mutation C($input: CreateProfileInput!) { createProfile(input: $input) { id } }', { input: { accountId: 'nobody', name: 'n', extra: JSON.parse(`${'{"a":'.repeat(50)}1${'}'.repeat(50)}`) } }), { status: 400, code: 'BAD_USER_INPUT' });
  add('a list variable of 100,000 ids', graphql('query T($ids: [ID!]!) { titles(ids: $ids) { id } }', { ids: Array.from({ length: 100_000 }, (_, i) => `t-${i}`) }), { status: 200, code: 'BAD_USER_INPUT' });
  add('101 ids', graphql('query T($ids: [ID!]!) { titles(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, (_, i) => `t-${i}`) }), { status: 200, code: 'BAD_USER_INPUT' });
  add('100 ids are served', graphql('query T($ids: [ID!]!) { titles(ids: $ids) { id } }', { ids: Array.from({ length: 100 }, (_, i) => `t-${String(i + 1).padStart(5, '0')}`) }), { status: 200, check: (b) => expect(b.data.titles).toHaveLength(100) });
  add('a string where an Int goes', graphql('query H($r: Int) { profile(id: "demo-premium-1") { homeRows(first: $r) { id } } }', { r: '50' }), { status: 400, code: 'BAD_USER_INPUT' });
  add('a float where an Int goes', graphql('query H($r: Int) { profile(id: "demo-premium-1") { homeRows(first: $r) { id } } }', { r: 1.5 }), { status: 400, code: 'BAD_USER_INPUT' });
  add('an Int beyond 32 bits', graphql('query H($r: Int) { profile(id: "demo-premium-1") { homeRows(first: $r) { id } } }', { r: 2 ** 40 }), { status: 400, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
  add('a negative Int', graphql('query H($r: Int) { profile(id: "demo-premium-1") { homeRows(first: $r) { id } } }', { r: -1 }), { status: 200, code: 'BAD_USER_INPUT' });
  add('null for a non-null variable', graphql(search, { q: null }), { status: 400, code: 'BAD_USER_INPUT' });
  add('a missing required variable', graphql(search, {}), { status: 400, code: 'BAD_USER_INPUT' });
  add('an object for a string', graphql(search, { q: { $gt: '' } }), { status: 400, code: 'BAD_USER_INPUT' });
  add('an array for a string', graphql(search, { q: ['a', 'b'] }), { status: 400, code: 'BAD_USER_INPUT' });
  add('variables that are a string', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query: '{ __typename }', variables: 'x' }) }, { status: 400, code: 'BAD_REQUEST' });
  add('variables that are an array', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query: '{ __typename }', variables: [1] }) }, { status: 400, code: 'BAD_REQUEST' });
  add('an unknown enum value', graphql('mutation U($i: UpdateProfileInput!) { updateProfile(id: "demo-premium-1", input: $i) { id } }', { i: { maturityRating: 'X'.repeat(500) } }), { status: 400, code: 'BAD_USER_INPUT' });
  add('__proto__ in variables', { method: 'POST', headers: JSON_HEADERS, body: '{"query":"query S($q: String!) { profile(id: \\"demo-premium-1\\") { search(query: $q, first: 1) { id } } }","variables":{"q":"a","__proto__":{"polluted":true}}}' }, { status: 200 });
  return cases;
}

function protocolCases(): AbuseCase[] {
  const cases: AbuseCase[] = [];
  const add = (name: string, request: RawRequest, expected: Expected) => cases.push({ group: 'protocol', name, request, expected });
  const body = JSON.stringify({ query: '{ __typename }' });
  const mutation = 'mutation { deleteProfile(id: "nobody") }';
  // Malformed JSON.
  for (const [label, text] of [['an unclosed object', '{'], ['a bare word', 'nul'], ['a missing value', '{"query":}'], ['trailing garbage', `${body}xyz`], ['single quotes', "{'query':'{ __typename }'}"], ['a trailing comma', '{"query":"{ __typename }",}'], ['a BOM and garbage', '\uFEFF{{'], ['only whitespace', '   ']] as const) {
    add(`malformed JSON: ${label}`, { method: 'POST', headers: JSON_HEADERS, body: text }, { status: 400, code: 'BAD_REQUEST' });
  }
  add('an empty body', { method: 'POST', headers: JSON_HEADERS, body: '' }, { status: 400, code: 'BAD_REQUEST' });
  for (const [label, text] of [['a JSON string', '"query"'], ['a JSON number', '1'], ['JSON null', 'null'], ['an object without query', '{"foo":1}'], ['a numeric query', '{"query":1}'], ['an object query', '{"query":{"a":1}}'], ['an operationName that is a number', '{"query":"{ __typename }","operationName":7}'], ['extensions that are a string', '{"query":"{ __typename }","extensions":"x"}']] as const) {
    add(`not a GraphQL request: ${label}`, { method: 'POST', headers: JSON_HEADERS, body: text }, { status: 400, code: 'BAD_REQUEST' });
  }
  // operationName.
  add('an unknown operationName', graphql('query A { __typename }', undefined, { operationName: 'B' }), { status: 400, code: 'OPERATION_RESOLUTION_FAILURE' });
  add('an operationName for an anonymous query', graphql('{ __typename }', undefined, { operationName: 'HomeScreen' }), { status: 400, code: 'OPERATION_RESOLUTION_FAILURE' });
  add('two operations and no operationName', graphql('query A { __typename } query B { __typename }'), { status: 400, code: 'OPERATION_RESOLUTION_FAILURE' });
  add('two operations, the right operationName', graphql('query A { __typename } query B { __typename }', undefined, { operationName: 'B' }), { status: 200 });
  add('a 10 KB operationName', graphql('query A { __typename }', undefined, { operationName: 'x'.repeat(10_000) }), { status: 400, code: 'OPERATION_RESOLUTION_FAILURE' });
  // Batches.
  add('a batch of two operations', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) }, { status: 400, code: 'BAD_REQUEST' });
  add('a batch of 10,000 operations', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(Array.from({ length: 10_000 }, () => ({ query: '{ genres { id } }' }))) }, { status: 400, code: 'BAD_REQUEST' });
  add('an empty batch', { method: 'POST', headers: JSON_HEADERS, body: '[]' }, { status: 400, code: 'BAD_REQUEST' });
  // Size.
  add('a body of 1 MB + 1 byte', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query: `# ${'x'.repeat(1_048_576)}\n{ __typename }` }) }, { status: 413, code: 'PAYLOAD_TOO_LARGE' });
  add('a 5 MB body', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query: '{ __typename }', variables: { q: 'x'.repeat(5_000_000) } }) }, { status: 413, code: 'PAYLOAD_TOO_LARGE' });
  add('a body just under 1 MB is read', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query: `# ${'x'.repeat(1_000_000)}\n{ __typename }` }) }, { status: 200 });
  // Methods and content types.
  add('a GET mutation', { method: 'GET', path: `/?query=${encodeURIComponent(mutation)}`, headers: { 'apollo-require-preflight': 'true' } }, { status: 405, code: 'BAD_REQUEST' });
  add('a GET query with the preflight header is served', { method: 'GET', path: `/?query=${encodeURIComponent('{ genres { id } }')}`, headers: { 'apollo-require-preflight': 'true' } }, { status: 200 });
  add('a GET query without preflight header (CSRF-style)', { method: 'GET', path: `/?query=${encodeURIComponent('{ genres { id } }')}` }, { status: 400, code: 'BAD_REQUEST' });
  add('a GET with malformed variables', { method: 'GET', path: `/?query=${encodeURIComponent('{ __typename }')}&variables=%7B`, headers: { 'apollo-require-preflight': 'true' } }, { status: 400, code: 'BAD_REQUEST' });
  for (const method of ['PUT', 'DELETE', 'PATCH']) add(`method ${method}`, { method, headers: JSON_HEADERS, body }, { status: 405, code: 'BAD_REQUEST' });
  add('a text/plain body (CSRF-style simple request)', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: mutation }) }, { status: 400, code: 'BAD_REQUEST' });
  add('a form-encoded body (CSRF-style simple request)', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent(mutation)}` }, { status: 400, code: 'BAD_REQUEST' });
  add('a multipart body (CSRF-style simple request)', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${mutation}\r\n--x--\r\n` }, { status: 400, code: 'BAD_REQUEST' });
  add('no content type', { method: 'POST', body }, { status: 400, code: 'BAD_REQUEST' });
  add('application/graphql', { method: 'POST', headers: { 'content-type': 'application/graphql' }, body: '{ __typename }' }, { status: 400, code: 'BAD_REQUEST' });
  add('an unknown charset', { method: 'POST', headers: { 'content-type': 'application/json; charset=ebcdic' }, body }, { status: 415, code: 'BAD_REQUEST' });
  add('a gzip body that is not gzip', { method: 'POST', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body }, { status: 400, code: 'BAD_REQUEST' });
  add('an unsupported content encoding', { method: 'POST', headers: { ...JSON_HEADERS, 'content-encoding': 'br2' }, body }, { status: 415, code: 'BAD_REQUEST' });
  add('an unknown path', { method: 'POST', path: '/admin', headers: JSON_HEADERS, body }, { status: 404, code: 'NOT_FOUND' });
  // Invalid UTF-8 in the body.
  const invalidUtf8 = (prefix: string, suffix: string) => Buffer.concat([Buffer.from(prefix), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(suffix)]);
  add('invalid UTF-8 in a search variable', { method: 'POST', headers: JSON_HEADERS, body: invalidUtf8('{"query":"query S($q: String!) { profile(id: \\"demo-premium-1\\") { search(query: $q) { id } } }","variables":{"q":"a', '"}}') }, { status: 400, code: 'BAD_USER_INPUT' });
  add('invalid UTF-8 in an inline id', { method: 'POST', headers: JSON_HEADERS, body: invalidUtf8('{"query":"{ title(id: \\"t', '\\") { id } }"}') }, { status: 400, code: 'BAD_USER_INPUT' });
  add('invalid UTF-8 in the query text', { method: 'POST', headers: JSON_HEADERS, body: invalidUtf8('{"query":"{ __typename ', '}"}') }, { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  add('a lone surrogate escape in a variable', { method: 'POST', headers: JSON_HEADERS, body: '{"query":"query T($id: ID!) { title(id: $id) { id } }","variables":{"id":"t\\ud800"}}' }, { status: 400, code: 'BAD_USER_INPUT' });
  return cases;
}

/** Every argument a client can put an id or a string into, as a request using `$v`. */
const STRING_ARGUMENTS: [string, string][] = [
  ['account(id:)', 'query Q($v: ID!) { account(id: $v) { id } }'],
  ['profile(id:)', 'query Q($v: ID!) { profile(id: $v) { id } }'],
  ['title(id:)', 'query Q($v: ID!) { title(id: $v) { id } }'],
  ['titles(ids:)', 'query Q($v: ID!) { titles(ids: [$v]) { id } }'],
  ['playbackSession(id:)', 'query Q($v: ID!) { playbackSession(id: $v) { id } }'],
  ['Title.progress(profileId:)', 'query Q($v: ID!) { title(id: "t-00001") { progress(profileId: $v) { positionSeconds } } }'],
  ['Title.similar(profileId:)', 'query Q($v: ID) { title(id: "t-00001") { similar(first: 2, profileId: $v) { id } } }'],
  ['Profile.search(query:)', 'query Q($v: String!) { profile(id: "demo-premium-1") { search(query: $v, first: 2) { id } } }'],
  ['addToMyList(profileId:)', 'mutation M($v: ID!) { addToMyList(profileId: $v, titleId: "t-00001") { id } }'],
  ['addToMyList(titleId:)', 'mutation M($v: ID!) { addToMyList(profileId: "demo-premium-1", titleId: $v) { id } }'],
  ['removeFromMyList(titleId:)', 'mutation M($v: ID!) { removeFromMyList(profileId: "demo-premium-1", titleId: $v) { id } }'],
  ['createProfile(input.accountId)', 'mutation M($v: ID!) { createProfile(input: { accountId: $v, name: "n" }) { id } }'],
  ['updateProfile(input.name)', 'mutation M($v: String) { updateProfile(id: "nobody", input: { name: $v }) { id } }'],
  ['deleteProfile(id:)', 'mutation M($v: ID!) { deleteProfile(id: $v) }'],
  ['startPlayback(input.deviceId)', 'mutation M($v: String!) { startPlayback(input: { profileId: "nobody", titleId: "t-00001", deviceId: $v }) { id } }'],
  ['heartbeat(input.sessionId)', 'mutation M($v: ID!) { heartbeat(input: { sessionId: $v, positionSeconds: 1 }) { id } }'],
  ['stopPlayback(sessionId:)', 'mutation M($v: ID!) { stopPlayback(sessionId: $v) { id } }'],
];

/** Refused at the edge whatever the argument. */
const HOSTILE: [string, string][] = [
  ['a NUL byte', 'demo-premium-1\u0000'],
  ['a 10,000-character string', 'x'.repeat(10_000)],
  ['a lone surrogate', 't-\uD800'],
  ['a replacement character from broken UTF-8', 't-\uFFFD'],
];

/** Valid text that matches nothing: an unknown id (null) or a NOT_FOUND, never an internal error. */
const ODD: [string, string][] = [
  ['SQL in an id', "' OR 1=1; DROP TABLE titles; --"],
  ['a 1,000-character id', 'y'.repeat(1_000)],
];

function hostileValueCases(): AbuseCase[] {
  const cases: AbuseCase[] = [];
  for (const [argument, query] of STRING_ARGUMENTS) {
    const isMutation = query.startsWith('mutation');
    for (const [label, value] of HOSTILE) {
      cases.push({ group: 'hostile values', name: `${label} in ${argument} (variable)`, request: graphql(query, { v: value }), expected: { status: 400, code: 'BAD_USER_INPUT' } });
    }
    // Written inline, in the query text itself.
    const inline = query.replace(/^(query|mutation) [QM]\(\$v: [^)]+\) /, '$1 ').replace('$v', JSON.stringify(HOSTILE[0][1]));
    cases.push({ group: 'hostile values', name: `a NUL byte in ${argument} (inline)`, request: graphql(inline), expected: { status: 400, code: 'BAD_USER_INPUT' } });
    for (const [label, value] of ODD) {
      // Documented as harmless: removing a title not in the list changes nothing; similar() for
      // a profile it doesn't know shows what every profile may see.
      const harmless = argument.startsWith('removeFromMyList') || argument.startsWith('Title.similar');
      const expected: Expected = harmless
        ? { status: 200, check: (b) => expect(b.errors).toBeUndefined() }
        : isMutation
        ? { status: 200, code: argument.includes('deviceId') || argument.includes('name') ? ['NOT_FOUND', 'BAD_USER_INPUT'] : 'NOT_FOUND' }
        : argument.startsWith('Profile.search') && value.length > 100
          ? { status: 200, code: 'BAD_USER_INPUT' }
          : { status: 200, check: (b) => { expect(b.errors).toBeUndefined(); expect(JSON.stringify(b.data)).toMatch(/null|\[\]/); } };
      cases.push({ group: 'hostile values', name: `${label} in ${argument}`, request: graphql(query, { v: value }), expected });
    }
  }
  return cases;
}

export function abuseCases(): AbuseCase[] {
  return [...structureCases(), ...variableCases(), ...protocolCases(), ...hostileValueCases()];
}
