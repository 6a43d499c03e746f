import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldLastUsed, fieldUsage } from './metrics';

type Recorders = Array<{ count: { inc(): void }; seen: { set(value: number): void } }>;

/**
 * Which schema fields (`Type.field`) each client selects, and when last: what a schema owner
 * checks before removing a field. Apollo Server hands the same parsed document to every request
 * with the same text, so the fields are found once per document and client, not per request.
 */
export class FieldUsage {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, Recorders>>();

  record(schema: GraphQLSchema, document: DocumentNode, client: string): void {
    let byClient = this.byDocument.get(document);
    if (!byClient) this.byDocument.set(document, (byClient = new Map()));
    let recorders = byClient.get(client);
    if (!recorders) {
      recorders = fieldsOf(schema, document).map(([type, field]) => ({
        count: fieldUsage.labels({ type, field, client_name: client }),
        seen: fieldLastUsed.labels({ type, field, client_name: client }),
      }));
      byClient.set(client, recorders);
    }
    const now = Date.now() / 1000;
    for (const recorder of recorders) {
      recorder.count.inc();
      recorder.seen.set(now);
    }
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
