import { buildSchema } from 'graphql';
import type { FieldUsageFile } from '../usage/fieldUsage';
import { judgeChanges, type Approval, type Judgement } from './judgeChanges';

/**
 * Each kind of schema change, judged with and without an operation or a client that uses it:
 * fixture schemas in memory (no composition, no database). `BASE` is the schema before; each
 * case edits it and names the operations registered at the time.
 */
const BASE = `
  type Query {
    title(id: ID!): Title
    titles(first: Int = 10, rating: Rating): [Title!]!
    legacyTitle(id: ID!): Title @deprecated(reason: "Use title.")
    unused: String
  }
  type Mutation {
    rate(input: RateInput!): Title
    tag(titleId: ID!, kind: Kind): Title
  }
  type Title {
    id: ID!
    name: String!
    rating: Rating!
    kind: Kind
    oldName: String @deprecated(reason: "Use name.")
    artwork(size: Float): String
    poster: Poster @deprecated(reason: "Use artwork.")
  }
  type Poster { url: String! }
  enum Rating { ALL TEEN ADULT OLD @deprecated(reason: "Merged into TEEN.") }
  enum Kind { MOVIE SERIES SHORT @deprecated(reason: "Shorts are movies.") }
  input RateInput { titleId: ID! stars: Int note: String }
`;

const OPERATIONS: Record<string, string> = {
  TitleQ: 'query TitleQ($id: ID!) { title(id: $id) { id name rating artwork(size: 2.5) } }',
  Legacy: 'query Legacy { legacyTitle(id: "1") { id oldName } }',
  Top: 'query Top { titles(first: 5, rating: TEEN) { id kind } }',
  ByRating: 'query ByRating($r: Rating) { titles(rating: $r) { id } }',
  Rate: 'mutation Rate($input: RateInput!) { rate(input: $input) { id } }',
  TagShort: 'mutation TagShort { tag(titleId: "1", kind: SHORT) { id } }',
  TagMovie: 'mutation TagMovie { tag(titleId: "1", kind: MOVIE) { id } }',
  PosterQ: 'query PosterQ { title(id: "1") { poster { url } } }',
};

const EXPORTED_AT = '2026-11-01T00:00:00.000Z';
const daysBefore = (days: number) => new Date(Date.parse(EXPORTED_AT) - days * 86_400_000).toISOString();

function usage(entries: Array<[coordinate: string, client: string, daysAgo: number]>): FieldUsageFile {
  return {
    format: 'streaming-field-usage', version: 1, exportedAt: EXPORTED_AT, sources: ['test'],
    fields: entries.map(([coordinate, client, daysAgo]) => ({ coordinate, client, count: 42, lastUsedAt: daysBefore(daysAgo) })),
  };
}

async function judge(edit: (sdl: string) => string, options: { operations?: string[]; usage?: FieldUsageFile; approvals?: Approval[] } = {}): Promise<Judgement> {
  const next = edit(BASE);
  expect(next).not.toBe(BASE);
  return judgeChanges({
    oldSchema: buildSchema(BASE),
    newSchema: buildSchema(next),
    operations: (options.operations ?? []).map((name) => ({ name, body: OPERATIONS[name] })),
    usage: options.usage,
    windowDays: 30,
    approvals: options.approvals,
  });
}

/** The one change of a kind (a case may make a few, e.g. a type and the field returning it). */
function only(judgement: Judgement, type: string) {
  const found = judgement.changes.filter((c) => c.type === type);
  expect(found).toHaveLength(1);
  return found[0];
}

const replace = (from: string | RegExp, to: string) => (sdl: string) => sdl.replace(from, to);

describe('field removed', () => {
  const removeUnused = replace('unused: String', '');
  it('fails without deprecation first, even when no one uses it', async () => {
    const result = await judge(removeUnused, { operations: Object.keys(OPERATIONS) });
    const change = only(result, 'FIELD_REMOVED');
    expect(change).toMatchObject({ id: 'FIELD_REMOVED:Query.unused', level: 'breaking', pass: false, operations: [] });
    expect(change.reasons.join(' ')).toMatch(/removed without being deprecated first/);
    expect(result.pass).toBe(false);
  });

  it('fails, naming the operation, when a registered operation selects it (which no longer validates)', async () => {
    const result = await judge(replace('name: String!', ''), { operations: ['TitleQ', 'Top'] });
    const change = only(result, 'FIELD_REMOVED');
    expect(change.pass).toBe(false);
    expect(change.operations).toEqual([{ operation: 'TitleQ', how: 'selects Title.name' }]);
    expect(result.invalidOperations).toEqual([{ operation: 'TitleQ', errors: [expect.stringMatching(/Cannot query field "name" on type "Title"/)] }]);
  });
});

describe('field removed after deprecation', () => {
  const removeOldName = replace('oldName: String @deprecated(reason: "Use name.")', '');
  it('passes when no operation uses it and no usage is given', async () => {
    const result = await judge(removeOldName, { operations: ['TitleQ', 'Top'] });
    expect(only(result, 'FIELD_REMOVED')).toMatchObject({ level: 'breaking', pass: true });
    expect(result.pass).toBe(true);
  });

  it('fails when a registered operation still selects it', async () => {
    const change = only(await judge(removeOldName, { operations: ['Legacy'] }), 'FIELD_REMOVED');
    expect(change.pass).toBe(false);
    expect(change.operations).toEqual([{ operation: 'Legacy', how: 'selects Title.oldName' }]);
  });

  it('fails when a client selected it within the window, and names the client', async () => {
    const change = only(await judge(removeOldName, { usage: usage([['Title.oldName', 'ios', 3], ['Title.oldName', 'web', 90]]) }), 'FIELD_REMOVED');
    expect(change.pass).toBe(false);
    expect(change.clients).toEqual([{ client: 'ios', field: 'Title.oldName', count: 42, lastUsedAt: daysBefore(3) }]);
    expect(change.reasons.join(' ')).toMatch(/within the last 30 days by client ios/);
  });

  it('passes when the last use is older than the window', async () => {
    const change = only(await judge(removeOldName, { usage: usage([['Title.oldName', 'web', 45]]) }), 'FIELD_REMOVED');
    expect(change).toMatchObject({ pass: true, clients: [] });
    expect(change.reasons.join(' ')).toMatch(/no client used it in the 30 days/);
  });
});

describe('arguments', () => {
  const narrow = replace('artwork(size: Float)', 'artwork(size: Int)');
  it('an argument type narrowed fails for an operation that passes it', async () => {
    const change = only(await judge(narrow, { operations: ['TitleQ'] }), 'FIELD_ARGUMENT_TYPE_CHANGED');
    expect(change).toMatchObject({ level: 'breaking', pass: false, operations: [{ operation: 'TitleQ', how: 'passes Title.artwork.size' }] });
  });

  it('an argument type narrowed passes when no operation passes it', async () => {
    expect(only(await judge(narrow, { operations: ['Top', 'PosterQ'] }), 'FIELD_ARGUMENT_TYPE_CHANGED')).toMatchObject({ pass: true });
  });

  it('an argument made required fails every operation selecting the field, passing it or not', async () => {
    const change = only(await judge(replace('titles(first: Int = 10, rating: Rating)', 'titles(first: Int = 10, rating: Rating!)'), { operations: ['Top', 'ByRating'] }), 'FIELD_ARGUMENT_TYPE_CHANGED');
    expect(change.pass).toBe(false);
    expect(change.operations.map((o) => o.operation)).toEqual(['Top', 'ByRating']);
  });

  it('a required argument added fails operations selecting the field', async () => {
    const change = only(await judge(replace('title(id: ID!)', 'title(id: ID!, region: String!)'), { operations: ['TitleQ', 'Top'] }), 'FIELD_ARGUMENT_ADDED');
    expect(change).toMatchObject({ level: 'breaking', pass: false, operations: [{ operation: 'TitleQ', how: 'selects Query.title' }] });
  });

  it('a required argument added passes when no operation selects the field', async () => {
    expect(only(await judge(replace('title(id: ID!)', 'title(id: ID!, region: String!)'), { operations: ['Top'] }), 'FIELD_ARGUMENT_ADDED')).toMatchObject({ level: 'breaking', pass: true });
  });

  it('an optional argument added is dangerous and passes', async () => {
    const change = only(await judge(replace('title(id: ID!)', 'title(id: ID!, region: String)'), { operations: ['TitleQ'] }), 'FIELD_ARGUMENT_ADDED');
    expect(change).toMatchObject({ level: 'dangerous', pass: true });
  });

  it('an argument removed counts every use of its field in the usage, since usage is per field', async () => {
    const change = only(await judge(replace('artwork(size: Float)', 'artwork'), { usage: usage([['Title.artwork', 'android', 1]]) }), 'FIELD_ARGUMENT_REMOVED');
    expect(change.pass).toBe(false);
    expect(change.reasons.join(' ')).toMatch(/client android \(usage is counted per field, not per argument/);
  });
});

describe('enum values', () => {
  it('removed without deprecation fails, even unused', async () => {
    const change = only(await judge(replace('ALL TEEN ADULT', 'ALL TEEN'), { operations: ['TitleQ'] }), 'ENUM_VALUE_REMOVED');
    expect(change).toMatchObject({ id: 'ENUM_VALUE_REMOVED:Rating.ADULT', pass: false });
    expect(change.reasons.join(' ')).toMatch(/Enum value Rating.ADULT was removed without being deprecated first/);
  });

  const removeOld = replace(' OLD @deprecated(reason: "Merged into TEEN.")', '');
  it('removed after deprecation passes when no operation can send it', async () => {
    expect(only(await judge(removeOld, { operations: ['Top', 'TitleQ'] }), 'ENUM_VALUE_REMOVED')).toMatchObject({ pass: true });
  });

  it('removed after deprecation fails when an operation may send it in a variable', async () => {
    const change = only(await judge(removeOld, { operations: ['ByRating'] }), 'ENUM_VALUE_REMOVED');
    expect(change.pass).toBe(false);
    expect(change.operations).toEqual([{ operation: 'ByRating', how: 'may send OLD in $r (a variable of a type that reaches Rating)' }]);
  });

  const removeShort = replace(' SHORT @deprecated(reason: "Shorts are movies.")', '');
  it('removed after deprecation fails when an operation sends it as a literal', async () => {
    const change = only(await judge(removeShort, { operations: ['TagShort', 'TagMovie'] }), 'ENUM_VALUE_REMOVED');
    expect(change.operations).toEqual([{ operation: 'TagShort', how: 'sends Kind.SHORT' }]);
    expect(change.pass).toBe(false);
  });

  it('removed after deprecation passes when operations send other values only', async () => {
    expect(only(await judge(removeShort, { operations: ['TagMovie'] }), 'ENUM_VALUE_REMOVED')).toMatchObject({ pass: true });
  });

  it('added is dangerous and passes, naming the operations that read the enum', async () => {
    const change = only(await judge(replace('enum Kind { MOVIE', 'enum Kind { SPECIAL MOVIE'), { operations: ['Top', 'Legacy'] }), 'ENUM_VALUE_ADDED');
    expect(change).toMatchObject({ level: 'dangerous', pass: true, operations: [{ operation: 'Top', how: 'reads Kind' }] });
  });
});

describe('nullability', () => {
  const tightenInput = replace('note: String }', 'note: String! }');
  it('tightened on an input fails an operation sending that input', async () => {
    const change = only(await judge(tightenInput, { operations: ['Rate'] }), 'INPUT_FIELD_TYPE_CHANGED');
    expect(change).toMatchObject({ level: 'breaking', pass: false, operations: [{ operation: 'Rate', how: expect.stringMatching(/may send note in \$input/) }] });
  });

  it('tightened on an input passes when no operation sends it', async () => {
    expect(only(await judge(tightenInput, { operations: ['TitleQ'] }), 'INPUT_FIELD_TYPE_CHANGED')).toMatchObject({ pass: true });
  });

  const loosenOutput = replace('name: String!', 'name: String');
  it('loosened on an output fails an operation selecting it', async () => {
    expect(only(await judge(loosenOutput, { operations: ['TitleQ'] }), 'FIELD_TYPE_CHANGED')).toMatchObject({ level: 'breaking', pass: false });
  });

  it('loosened on an output fails on usage alone', async () => {
    expect(only(await judge(loosenOutput, { usage: usage([['Title.name', 'tv', 0]]) }), 'FIELD_TYPE_CHANGED')).toMatchObject({ pass: false });
  });

  it('loosened on an output passes when nobody uses it', async () => {
    expect(only(await judge(loosenOutput, { operations: ['Top'], usage: usage([]) }), 'FIELD_TYPE_CHANGED')).toMatchObject({ pass: true });
  });

  it('tightened on an output is safe', async () => {
    expect(only(await judge(replace('kind: Kind\n', 'kind: Kind!\n'), { operations: ['Top'] }), 'FIELD_TYPE_CHANGED')).toMatchObject({ level: 'safe', pass: true });
  });

  it('a required input field added fails an operation sending the input', async () => {
    const change = only(await judge(replace('note: String }', 'note: String source: String! }'), { operations: ['Rate'] }), 'INPUT_FIELD_ADDED');
    expect(change).toMatchObject({ level: 'breaking', pass: false });
  });
});

describe('types and additions', () => {
  it('a field added is safe', async () => {
    const result = await judge(replace('type Poster {', 'type Poster { alt: String'), { operations: Object.keys(OPERATIONS) });
    expect(only(result, 'FIELD_ADDED')).toMatchObject({ level: 'safe', pass: true });
    expect(result.pass).toBe(true);
  });

  const removePoster = (sdl: string) => sdl.replace('poster: Poster @deprecated(reason: "Use artwork.")', '').replace('type Poster { url: String! }', '');
  it('a type removed (with its deprecated field) passes when no operation uses it', async () => {
    const result = await judge(removePoster, { operations: ['TitleQ'] });
    expect(only(result, 'TYPE_REMOVED')).toMatchObject({ pass: true });
    expect(result.pass).toBe(true);
  });

  it('a type removed fails when an operation selects it', async () => {
    const result = await judge(removePoster, { operations: ['PosterQ'] });
    expect(only(result, 'TYPE_REMOVED')).toMatchObject({ pass: false, operations: [{ operation: 'PosterQ', how: 'uses type Poster' }] });
    expect(only(result, 'FIELD_REMOVED')).toMatchObject({ pass: false });
  });

  it('a type removed fails when a client used its fields within the window', async () => {
    expect(only(await judge(removePoster, { usage: usage([['Poster.url', 'ios', 2]]) }), 'TYPE_REMOVED')).toMatchObject({ pass: false });
  });
});

describe('approvals', () => {
  it('a breaking change approved on purpose passes with its reason; an approval matching nothing is reported', async () => {
    const approvals = [
      { change: 'FIELD_TYPE_CHANGED:Title.name', reason: 'Null while the catalog is down; every client handles it.' },
      { change: 'FIELD_REMOVED:Query.nothing', reason: 'stale' },
    ];
    const result = await judge(replace('name: String!', 'name: String'), { operations: ['TitleQ'], approvals });
    expect(only(result, 'FIELD_TYPE_CHANGED')).toMatchObject({ pass: true, approval: approvals[0].reason, operations: [{ operation: 'TitleQ' }] });
    expect(result.unusedApprovals).toEqual([approvals[1]]);
    expect(result.pass).toBe(true);
  });
});
