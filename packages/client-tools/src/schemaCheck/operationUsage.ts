import {
  getNamedType, isEnumType, isInputObjectType, isInterfaceType, isUnionType, Kind, TypeInfo, typeFromAST, visit, visitWithTypeInfo,
  type DocumentNode, type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';

/**
 * What one operation touches in a schema, as schema coordinates in the paths graphql-inspector
 * gives its changes: `Type` (a type the document names or returns), `Type.field`,
 * `Type.field.argument`, `Enum.VALUE` (a literal in the document), `Input.field` (a field of an
 * input object literal), `@directive` and `@directive.argument`.
 */
export interface OperationUsage {
  name: string;
  /** `query`, `mutation` or `subscription`. */
  kind: string;
  uses: Set<string>;
  /**
   * Input objects and enums that can arrive in a variable (its type and everything reachable from
   * it): the document doesn't say which of their fields or values a client sends, so any may be.
   */
  variableInputs: Map<string, string>;
  /** Enums, unions and interfaces whose values it reads: a new value or member may reach it. */
  reads: Set<string>;
}

/**
 * Walks the document with a TypeInfo over each schema (the base's and the new one), so a
 * coordinate that exists in only one of them (a removed field, a new required argument) is
 * still found, and unions what each walk found.
 */
export function operationUsage(name: string, document: DocumentNode, schemas: GraphQLSchema[]): OperationUsage {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const usage: OperationUsage = { name, kind: operation?.operation ?? 'query', uses: new Set(), variableInputs: new Map(), reads: new Set() };
  for (const schema of schemas) walk(schema, document, usage);
  return usage;
}

function walk(schema: GraphQLSchema, document: DocumentNode, usage: OperationUsage): void {
  const typeInfo = new TypeInfo(schema);
  const named = (type: GraphQLNamedType | null | undefined) => {
    if (!type) return;
    usage.uses.add(type.name);
    if (isEnumType(type) || isUnionType(type) || isInterfaceType(type)) usage.reads.add(type.name);
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return;
        usage.uses.add(`${parent.name}.${node.name.value}`);
        const field = typeInfo.getFieldDef();
        if (field) named(getNamedType(field.type));
      },
      Argument(node) {
        const directive = typeInfo.getDirective();
        if (directive) {
          usage.uses.add(`@${directive.name}.${node.name.value}`);
          return;
        }
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) usage.uses.add(`${parent.name}.${field.name}.${node.name.value}`);
      },
      Directive(node) {
        usage.uses.add(`@${node.name.value}`);
      },
      EnumValue(node) {
        const type = getNamedType(typeInfo.getInputType());
        if (type && isEnumType(type)) usage.uses.add(`${type.name}.${node.value}`);
      },
      ObjectValue() {
        const type = getNamedType(typeInfo.getInputType());
        if (type) usage.uses.add(type.name);
      },
      ObjectField(node) {
        const parent = getNamedType(typeInfo.getParentInputType());
        if (parent && isInputObjectType(parent)) usage.uses.add(`${parent.name}.${node.name.value}`);
      },
      InlineFragment(node) {
        if (node.typeCondition) usage.uses.add(node.typeCondition.name.value);
      },
      FragmentDefinition(node) {
        usage.uses.add(node.typeCondition.name.value);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type);
        const root = type && getNamedType(type);
        if (!root) return;
        usage.uses.add(root.name);
        for (const reachable of inputTypesReachableFrom(root)) {
          if (!usage.variableInputs.has(reachable)) usage.variableInputs.set(reachable, `$${node.variable.name.value}`);
        }
      },
    }),
  );
}

/** The type itself and every input object and enum its fields lead to (enums and inputs only). */
export function inputTypesReachableFrom(root: GraphQLNamedType): string[] {
  const seen = new Set<string>();
  const stack: GraphQLNamedType[] = [root];
  while (stack.length > 0) {
    const type = stack.pop()!;
    if (seen.has(type.name)) continue;
    if (isEnumType(type)) seen.add(type.name);
    else if (isInputObjectType(type)) {
      seen.add(type.name);
      for (const field of Object.values(type.getFields())) stack.push(getNamedType(field.type));
    }
  }
  return [...seen];
}
