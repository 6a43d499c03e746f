import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { beforeScrape, fieldLastUsed, fieldUsage } from './metrics';

/** One series of both metrics: what requests added since the last scrape. */
interface Tally {
  readonly labels: { type: string; field: string; client_name: string };
  count: number;
  seen: number;
}

/** One per (type, field, client) in this process, like the series themselves. */
const tallies = new Map<string, Tally>();
/** Lists of tallies with counts not yet handed to prom-client. */
const pending = new Set<Tally[]>();

/** Hands what requests counted since the last scrape to the metrics. */
function flush(): void {
  for (const list of pending) {
    for (const tally of list) {
      if (tally.count === 0) continue;
      fieldUsage.inc(tally.labels, tally.count);
      fieldLastUsed.set(tally.labels, tally.seen);
      tally.count = 0;
    }
  }
  pending.clear();
}
beforeScrape(flush);

function tallyOf(type: string, field: string, client: string): Tally {
  const key = `${type}.${field}\u0000${client}`;
  let tally = tallies.get(key);
  if (!tally) tallies.set(key, (tally = { labels: { type, field, client_name: client }, count: 0, seen: 0 }));
  return tally;
}

/**
 * Which schema fields (`Type.field`) each client selects, and when last: what a schema owner
 * checks before removing a field. Apollo Server hands the same parsed document to every request
 * with the same text, so the fields are found once per document and client, not per request.
 *
 * A request only adds to plain numbers; prom-client gets them when the metrics are read. Its
 * `inc(labels)` hashes the labels on every call (a `labels()` child too), and a home screen
 * selects some thirty fields: that hashing was a visible share of a request's CPU.
 */
export class FieldUsage {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, Tally[]>>();

  record(schema: GraphQLSchema, document: DocumentNode, client: string): void {
    let byClient = this.byDocument.get(document);
    if (!byClient) this.byDocument.set(document, (byClient = new Map()));
    let list = byClient.get(client);
    if (!list) {
      list = fieldsOf(schema, document).map(([type, field]) => tallyOf(type, field, client));
      byClient.set(client, list);
    }
    const now = Date.now() / 1000;
    for (const tally of list) {
      tally.count += 1;
      tally.seen = now;
    }
    pending.add(list);
  }
}

/** Every schema field the document selects, once each; `__typename` and introspection aside. */
export function fieldsOf(schema: GraphQLSchema, document: DocumentNode): Array<[type: string, field: string]> {
  const found = new Map<string, [string, string]>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__') || !typeInfo.getFieldDef()) return;
        const key = `${parent.name}.${node.name.value}`;
        if (!found.has(key)) found.set(key, [parent.name, node.name.value]);
      },
    }),
  );
  return [...found.values()];
}
