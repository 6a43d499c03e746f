import type { Random } from '@streaming/demo-data';
import {
  getNamedType, isCompositeType, isEnumType, isInputObjectType, isListType, isNonNullType,
  type GraphQLField, type GraphQLInputType, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import type { DemoIds } from './demoIds';
import type { Caller, DocumentCase } from './documentCase';
import { randomFrom } from './hash';

/**
 * A document's 3rd, 5th, 7th and 9th aliases: names a plain JavaScript object already has (each
 * once per document, so never twice in one selection); an answer built in a `{}` would lose or
 * misread them.
 */
const INHERITED_NAMES = new Map([[3, '__proto__'], [5, 'toString'], [7, 'constructor'], [9, 'hasOwnProperty']]);

/**
 * Generates random valid queries over the API schema, one per (seed, index), whatever the
 * others are: document 17 of seed 7 is the same document in a run of 100 or of 3,000.
 *
 * What a document may contain: any field of any type reachable from Query, so fetches cross all
 * four subgraphs in every order the planner makes of them; aliases, including the same field
 * twice under two aliases with different arguments; the same field twice unaliased with
 * different sub-selections (merged); named fragments (spread at several levels, with directives)
 * and inline fragments (with and without a type condition: the schema has no interfaces or
 * unions, so every type condition is a concrete type); `@skip`/`@include` on literals and on
 * variables (with and without defaults, sometimes left out of the variables); `__typename` at
 * any level; arguments as literals or variables, with ids that exist, ids of another account
 * and ids that don't; nulls passed for nullable arguments; now and then a second operation in
 * the document, picked by operationName, or an anonymous operation.
 *
 * Sizes are kept small (list arguments of 1 to 4, a bound on the product of list sizes along a
 * path and on the fields per document), so answers stay small; a document may still use more
 * aliases than the gateway's limits allow, which is one reason the harness runs its gateways
 * with limits off (see README).
 */

/** Object levels below the root. */
const MAX_DEPTH = 6;
/** Upper bound of the number of objects one selection is evaluated for (product of list sizes on its path). */
const MAX_FANOUT = 100;
const MAX_FIELDS = 70;

type Values = (g: DocumentBuilder) => unknown;
const int = (min: number, max: number): Values => (g) => g.random.int(min, max);
const MATURITY = ['ALL', 'SEVEN_PLUS', 'THIRTEEN_PLUS', 'SIXTEEN_PLUS', 'EIGHTEEN_PLUS'];

/** Realistic values per argument ("Type.field.argument"); anything else gets a value from its type. */
const ARGUMENT_VALUES: Record<string, Values> = {
  'Query.title.id': (g) => g.titleId(),
  'Query.titles.ids': (g) => Array.from({ length: g.random.int(1, 4) }, () => g.titleId()),
  'Query.popularTitles.maxMaturityRating': (g) => g.random.pick(MATURITY),
  'Query.popularTitles.first': int(0, 4),
  'Query.newReleases.maxMaturityRating': (g) => g.random.pick(MATURITY),
  'Query.newReleases.first': int(1, 4),
  'Query.playbackSession.id': (g) => g.sessionId(),
  'Query.account.id': (g) => g.accountId(),
  'Query.profile.id': (g) => g.profileId(),
  'Profile.search.query': (g) => g.searchText(),
  'Profile.search.first': int(1, 4),
  'Profile.continueWatching.first': int(1, 4),
  'Profile.homeRows.first': int(1, 3),
  'Profile.homeRows.itemsPerRow': int(1, 4),
  'Title.artwork.type': (g) => g.random.pick(['BOXART', 'HERO', 'LOGO']),
  'Title.progress.profileId': (g) => g.profileId(),
  'Title.similar.first': int(1, 3),
  'Title.similar.profileId': (g) => (g.random.chance(0.2) ? null : g.profileId()),
  'Episode.progress.profileId': (g) => g.profileId(),
};

/** How many elements a list field has at most, for the fan-out bound (argument-sized ones read their argument). */
const LIST_SIZES: Record<string, number | string> = {
  'Query.titles': 'ids',
  'Query.popularTitles': 'first',
  'Query.newReleases': 'first',
  'Query.genres': 20,
  'Account.profiles': 5,
  'Profile.search': 'first',
  'Profile.activeSessions': 3,
  'Profile.continueWatching': 'first',
  'Profile.myList': 12,
  'Profile.homeRows': 'first',
  'HomeRow.items': 4,
  'Title.genres': 3,
  'Title.seasons': 5,
  'Title.similar': 'first',
  'Season.episodes': 10,
  'Manifest.renditions': 4,
};

/** Which root fields a document starts from, by weight: the entity-crossing ones most. */
const ROOT_FIELDS: ReadonlyArray<readonly [string, number]> = [
  ['profile', 6], ['title', 5], ['viewer', 3], ['account', 3], ['titles', 3], ['popularTitles', 2],
  ['newReleases', 1], ['playbackSession', 3], ['genres', 1],
];

interface Variable {
  type: string;
  value: unknown;
  /** Written as a default in the definition and left out of the variables. */
  omitted: boolean;
  defaultText?: string;
}

interface Fragment {
  name: string;
  type: string;
  text: string;
  depth: number;
  fanout: number;
}

class DocumentBuilder {
  private readonly variables = new Map<string, Variable>();
  private readonly variableByValue = new Map<string, string>();
  private readonly fragments: Fragment[] = [];
  /** Arguments of unaliased occurrences, fixed per document so that such fields always merge. */
  private readonly unaliasedArguments = new Map<string, string>();
  private aliases = 0;
  private fragmentCount = 0;
  private fieldsLeft = MAX_FIELDS;

  constructor(readonly random: Random, private readonly schema: GraphQLSchema, private readonly ids: DemoIds) {}

  titleId(): string {
    const r = this.random.next();
    if (r < 0.06) return this.random.pick(this.ids.missingTitles);
    if (r < 0.45) return this.random.pick(this.ids.series);
    return this.random.pick(this.ids.titles.slice(0, 60));
  }

  profileId(): string {
    const r = this.random.next();
    if (r < 0.7) return this.random.pick(this.ids.ownProfiles);
    if (r < 0.9) return this.random.pick(this.ids.otherProfiles);
    return this.random.pick(this.ids.missingProfiles);
  }

  accountId(): string {
    const r = this.random.next();
    if (r < 0.65) return this.ids.viewerAccount;
    if (r < 0.9) return this.random.pick(this.ids.otherAccounts);
    return this.random.pick(this.ids.missingAccounts);
  }

  sessionId(): string {
    return this.random.chance(0.85) ? this.random.pick(this.ids.sessions) : this.random.pick(this.ids.missingSessions);
  }

  searchText(): string {
    if (this.random.chance(0.1)) return 'zzzqx';
    const words = this.random.pick(this.ids.titleNames).split(' ');
    const word = this.random.pick(words);
    return this.random.chance(0.5) ? word : word.slice(0, Math.max(2, Math.min(word.length, this.random.int(2, 5)))).toLowerCase();
  }

  private alias(): string {
    this.aliases += 1;
    return INHERITED_NAMES.get(this.aliases) ?? `a${this.aliases}`;
  }

  /** A value as a GraphQL literal of `type`. */
  private literal(value: unknown, type: GraphQLInputType): string {
    if (value === null || value === undefined) return 'null';
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) return `[${(value as unknown[]).map((v) => this.literal(v, inner.ofType)).join(', ')}]`;
    if (isEnumType(inner)) return String(value);
    if (isInputObjectType(inner)) {
      const fields = inner.getFields();
      return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${this.literal(v, fields[k].type)}`).join(', ')}}`;
    }
    return JSON.stringify(value);
  }

  /** A variable holding `value` (reused when the same value of the same type was already declared). */
  private variable(value: unknown, typeText: string, allowDefault: boolean, type?: GraphQLInputType): string {
    const key = `${typeText}|${JSON.stringify(value)}`;
    const existing = this.variableByValue.get(key);
    if (existing && this.random.chance(0.7)) return `$${existing}`;
    const name = `v${this.variables.size + 1}`;
    // A nullable variable with a default may stand where a non-null one is expected: the default fills in.
    const omitted = allowDefault && value !== null && this.random.chance(0.2);
    const declared = omitted && typeText.endsWith('!') ? typeText.slice(0, -1) : typeText;
    this.variables.set(name, {
      type: declared, value, omitted, defaultText: omitted ? (type ? this.literal(value, type) : JSON.stringify(value)) : undefined,
    });
    this.variableByValue.set(key, name);
    return `$${name}`;
  }

  private argumentsText(parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>, fanout: number): { text: string; values: Record<string, unknown> } {
    const parts: string[] = [];
    const values: Record<string, unknown> = {};
    for (const arg of field.args) {
      const provider = ARGUMENT_VALUES[`${parent.name}.${field.name}.${arg.name}`];
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      // Optional arguments are mostly given; left out, their default applies (sized in LIST_SIZES).
      if (!required && (this.random.chance(0.15) && fanout <= 4)) continue;
      const value = provider ? provider(this) : this.fallbackValue(arg.type);
      values[arg.name] = value;
      const useVariable = this.random.chance(0.4);
      parts.push(`${arg.name}: ${useVariable ? this.variable(value, String(arg.type), true, arg.type) : this.literal(value, arg.type)}`);
    }
    return { text: parts.length ? `(${parts.join(', ')})` : '', values };
  }

  private fallbackValue(type: GraphQLInputType): unknown {
    const named = getNamedType(type);
    if (isEnumType(named)) return this.random.pick(named.getValues()).name;
    if (named.name === 'Int') return this.random.int(1, 3);
    if (named.name === 'Boolean') return this.random.chance(0.5);
    return 'x';
  }

  /** `@skip` or `@include`, on a literal or a variable (sometimes with a default, left out of the variables). */
  private condition(): string {
    const directive = this.random.chance(0.5) ? 'include' : 'skip';
    const value = this.random.chance(0.5);
    if (this.random.chance(0.35)) return ` @${directive}(if: ${value})`;
    return ` @${directive}(if: ${this.variable(value, 'Boolean!', true)})`;
  }

  private listSize(parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>, values: Record<string, unknown>): number {
    if (!isListTypeDeep(field.type)) return 1;
    const size = LIST_SIZES[`${parent.name}.${field.name}`] ?? 5;
    if (typeof size === 'number') return size;
    const given = values[size];
    if (Array.isArray(given)) return given.length;
    if (typeof given === 'number') return given;
    const fallback = field.args.find((a) => a.name === size)?.defaultValue;
    return typeof fallback === 'number' ? fallback : 20;
  }

  /** One field of `parent`, with arguments, alias, directives and sub-selection as chance has it; undefined if over budget. */
  private field(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, depth: number, fanout: number): string | undefined {
    const named = getNamedType(field.type);
    const composite = isCompositeType(named);
    if (composite && depth >= MAX_DEPTH) return undefined;
    this.fieldsLeft -= 1;
    const aliased = this.random.chance(field.args.length > 0 ? 0.35 : 0.12);
    let args: { text: string; values: Record<string, unknown> };
    const memoKey = `${parent.name}.${field.name}`;
    if (!aliased && field.args.length > 0) {
      const memo = this.unaliasedArguments.get(memoKey);
      if (memo !== undefined) args = { text: memo, values: JSON.parse(this.unaliasedArguments.get(`${memoKey}#values`)!) };
      else {
        args = this.argumentsText(parent, field, fanout);
        this.unaliasedArguments.set(memoKey, args.text);
        this.unaliasedArguments.set(`${memoKey}#values`, JSON.stringify(args.values));
      }
    } else args = this.argumentsText(parent, field, fanout);
    const size = this.listSize(parent, field, args.values);
    if (composite && fanout * Math.max(size, 1) > MAX_FANOUT) return undefined;
    const directives = this.random.chance(0.08) ? this.condition() : '';
    const selection = composite ? ` ${this.selection(named as GraphQLObjectType, depth + 1, fanout * Math.max(size, 1))}` : '';
    const head = `${aliased ? `${this.alias()}: ` : ''}${field.name}${args.text}`;
    let text = `${head}${directives}${selection}`;
    if (field.args.length > 0 && this.random.chance(0.2)) {
      // The same field again under another alias, with other arguments.
      const again = this.argumentsText(parent, field, fanout);
      const againSize = this.listSize(parent, field, again.values);
      if (!composite || fanout * Math.max(againSize, 1) <= MAX_FANOUT) {
        text += ` ${this.alias()}: ${field.name}${again.text}${composite ? ` ${this.selection(named as GraphQLObjectType, depth + 1, fanout * Math.max(againSize, 1))}` : ''}`;
      }
    } else if (composite && this.random.chance(0.06)) {
      // The same response name twice with other sub-selections: the executor must merge them.
      text += ` ${head} ${this.selection(named as GraphQLObjectType, depth + 1, fanout * Math.max(size, 1))}`;
    }
    return text;
  }

  /** A selection set on `type`: a few fields, maybe `__typename`, inline fragments and fragment spreads. */
  selection(type: GraphQLObjectType, depth: number, fanout: number, fragmentNesting = 0): string {
    const fields = Object.values(type.getFields());
    const wanted = this.fieldsLeft <= 0 ? 1 : this.random.int(1, depth <= 1 ? 4 : 3);
    const chosen = this.random.sample(fields, fields.length);
    const parts: string[] = [];
    for (const field of chosen) {
      if (parts.length >= wanted) break;
      const text = this.field(type, field, depth, fanout);
      if (text !== undefined) parts.push(text);
    }
    if (parts.length === 0) {
      // Every field was over budget: a leaf (there always is one: ids, names) or __typename.
      const leaf = fields.find((f) => !isCompositeType(getNamedType(f.type)));
      parts.push(leaf ? leaf.name : '__typename');
    }
    if (this.random.chance(0.15)) parts.splice(this.random.int(0, parts.length), 0, this.random.chance(0.3) ? `${this.alias()}: __typename` : '__typename');
    if (fragmentNesting < 2 && this.fieldsLeft > 0 && this.random.chance(0.14)) {
      const condition = this.random.pick([`on ${type.name}`, `on ${type.name}`, '']);
      const directives = this.random.chance(0.3) ? this.condition() : '';
      parts.push(`...${condition ? ` ${condition}` : ''}${directives} ${this.selection(type, depth, fanout, fragmentNesting + 1)}`);
    }
    if (fragmentNesting < 2 && this.fieldsLeft > 0 && this.random.chance(0.12)) {
      const fragment = this.fragment(type, depth, fanout, fragmentNesting);
      parts.push(`...${fragment.name}${this.random.chance(0.2) ? this.condition() : ''}`);
    }
    return `{ ${parts.join(' ')} }`;
  }

  /** A named fragment on `type`: one already written if it fits here, else a new one. */
  private fragment(type: GraphQLObjectType, depth: number, fanout: number, fragmentNesting: number): Fragment {
    const fits = this.fragments.filter((f) => f.type === type.name && f.depth >= depth && f.fanout >= fanout);
    if (fits.length > 0 && this.random.chance(0.6)) return this.random.pick(fits);
    this.fragmentCount += 1;
    const name = `F${this.fragmentCount}${type.name}`;
    // Written before it is registered: a fragment spreads only fragments written before it, so no cycles.
    const text = this.selection(type, depth, fanout, fragmentNesting + 1);
    const fragment = { name, type: type.name, text, depth, fanout };
    this.fragments.push(fragment);
    return fragment;
  }

  rootSelection(): string {
    const query = this.schema.getQueryType()!;
    const fields = query.getFields();
    const count = this.random.weighted([[1, 5], [2, 3], [3, 2]]);
    const parts: string[] = [];
    const used = new Set<string>();
    while (parts.length < count) {
      const name = this.random.weighted(ROOT_FIELDS);
      if (used.has(name) && this.random.chance(0.7)) continue;
      used.add(name);
      const text = this.field(query, fields[name], 0, 1);
      if (text !== undefined) parts.push(text);
    }
    if (this.random.chance(0.1)) parts.push('__typename');
    return `{ ${parts.join(' ')} }`;
  }

  document(name: string | undefined): { query: string; variables: Record<string, unknown> } {
    const selection = this.rootSelection();
    const fragments = this.fragments.map((f) => `fragment ${f.name} on ${f.type} ${f.text}`);
    // Arguments chosen for a field that then didn't fit declared variables nothing uses.
    const used = new Set([selection, ...fragments].join(' ').match(/\$v\d+\b/g)?.map((v) => v.slice(1)));
    for (const n of [...this.variables.keys()]) if (!used.has(n)) this.variables.delete(n);
    const definitions = [...this.variables.entries()].map(([n, v]) => `$${n}: ${v.type}${v.defaultText !== undefined ? ` = ${v.defaultText}` : ''}`);
    const header = name === undefined && definitions.length === 0 ? '' : `query${name ? ` ${name}` : ''}${definitions.length ? `(${definitions.join(', ')})` : ''} `;
    const variables = Object.fromEntries([...this.variables.entries()].filter(([, v]) => !v.omitted).map(([n, v]) => [n, v.value]));
    return { query: [`${header}${selection}`, ...fragments].join('\n'), variables };
  }
}

function isListTypeDeep(type: GraphQLField<unknown, unknown>['type']): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function callerFor(random: Random, ids: DemoIds): Caller {
  const r = random.next();
  if (r < 0.08) return { kind: 'anonymous' };
  if (r < 0.14) return { kind: 'viewer', account: ids.otherAccounts[0] };
  return { kind: 'viewer', account: ids.viewerAccount };
}

/**
 * Document `index` of `seed`. Valid by construction (generateDocument.test.ts validates a few
 * hundred; the corpus run fails on any the gateways call invalid): validating each one here
 * would cost as much as a gateway's planning of it.
 */
export function generateDocument(schema: GraphQLSchema, ids: DemoIds, seed: number, index: number): DocumentCase {
  const random = randomFrom(seed, 'document', index);
  const builder = new DocumentBuilder(random, schema, ids);
  const shape = random.next();
  const operationName = shape < 0.1 ? undefined : `Generated${index}`;
  const { query, variables } = builder.document(operationName);
  // Now and then a second operation in the same document: the request names the one to run.
  const text = operationName && shape > 0.95 ? `${query}\nquery Other${index} { genres { id name } }` : query;
  return { id: `gen-${index}`, query: text, variables, operationName, caller: callerFor(random, ids) };
}
