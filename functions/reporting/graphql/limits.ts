/**
 * What a document may ask for, checked before anything executes: at most 16 KiB, a depth of 6, 50
 * root fields, 50 aliases and a cost of 10,000; introspection only outside production, and then
 * exempt from the depth and cost limits (graphql-js's standard introspection query is 15 levels
 * deep, and tools such as GraphiQL and graphql-codegen send it as it is).
 *
 * A document's cost bounds the objects it may return: a connection counts its `first` (default
 * 20) times the cost of its items, a list without `first` counts its contract bound, every other
 * object 1, and aliases add up. Two full pages of 100 orders with all their lines cost 10,202.
 */
import {
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  getOperationAST,
  isListType,
  isObjectType,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type SelectionSetNode,
  specifiedRules,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { defaultPageSize, maxPageSize } from '../../shared/pagination.js';
import { maxReportDays } from '../domain/sales.js';
import { errorCodes } from './schema.js';

export const graphqlLimits = {
  maxDocumentBytes: 16 * 1024,
  maxDepth: 6,
  maxRootFields: 50,
  maxAliases: 50,
  maxCost: 10_000,
} as const;

/**
 * How many objects each list field may return: its contract bound, or the `first` of the
 * connection it belongs to. An order has at most 50 lines and three statuses; a sales report
 * covers at most 366 days.
 */
const listBounds: Readonly<Record<string, number | 'first'>> = {
  'OrderView.items': 50,
  'OrderView.history': 3,
  'OrderConnection.items': 'first',
  'Query.salesReport': maxReportDays,
};

/** Introspection's own fields (`__schema`, `__type`, `__typename`) count toward no limit. */
const isIntrospection = (name: string) => name.startsWith('__');

const tooComplex = (message: string) =>
  new GraphQLError(message, { extensions: { code: errorCodes.tooComplex } });

function depthOf(
  selectionSet: SelectionSetNode | undefined,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  seen: ReadonlySet<string> = new Set(),
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (isIntrospection(selection.name.value)) continue;
      deepest = Math.max(
        deepest,
        selection.selectionSet ? 1 + depthOf(selection.selectionSet, fragments, seen) : 1,
      );
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      // A cycle is the NoFragmentCycles rule's to report.
      if (fragment && !seen.has(name))
        deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return deepest;
}

function countRootFields(
  selectionSet: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  seen: ReadonlySet<string> = new Set(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += isIntrospection(selection.name.value) ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      count += countRootFields(selection.selectionSet, fragments, seen);
    else {
      const fragment = fragments[selection.name.value];
      if (fragment && !seen.has(selection.name.value)) {
        count += countRootFields(fragment.selectionSet, fragments, new Set([...seen, selection.name.value]));
      }
    }
  }
  return count;
}

/** The document's fragments by name, for the walks that follow spreads. */
function fragmentsOf(document: DocumentNode): Fragments {
  return Object.fromEntries(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
}

const complexityRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const document = context.getDocument();
  const fragments = fragmentsOf(document);
  let aliases = 0;
  return {
    Field(node) {
      if (node.alias) aliases += 1;
    },
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, fragments);
      if (depth > graphqlLimits.maxDepth) {
        context.reportError(
          tooComplex(`The query is ${depth} levels deep; the limit is ${graphqlLimits.maxDepth}.`),
        );
      }
      const rootFields = countRootFields(node.selectionSet, fragments);
      if (rootFields > graphqlLimits.maxRootFields) {
        context.reportError(
          tooComplex(
            `The query selects ${rootFields} root fields; the limit is ${graphqlLimits.maxRootFields}.`,
          ),
        );
      }
    },
    Document: {
      leave() {
        if (aliases > graphqlLimits.maxAliases) {
          context.reportError(
            tooComplex(`The query uses ${aliases} aliases; the limit is ${graphqlLimits.maxAliases}.`),
          );
        }
      },
    },
  };
};

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

function firstOf(value: ValueNode | undefined, variables: Readonly<Record<string, unknown>>): number {
  if (value === undefined) return defaultPageSize;
  const given =
    value.kind === Kind.INT
      ? Number(value.value)
      : value.kind === Kind.VARIABLE
        ? variables[value.name.value]
        : undefined;
  // A value the resolver will refuse, or a variable left to its default, costs the most it could.
  return typeof given === 'number' && Number.isInteger(given) && given >= 1
    ? Math.min(given, maxPageSize)
    : maxPageSize;
}

function selectionCost(
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  context: { fragments: Fragments; variables: Readonly<Record<string, unknown>>; first: number },
  seen: ReadonlySet<string> = new Set(),
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += selectionCost(selection.selectionSet, type, context, seen);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = context.fragments[selection.name.value];
      if (fragment && !seen.has(selection.name.value)) {
        cost += selectionCost(fragment.selectionSet, type, context, new Set([...seen, selection.name.value]));
      }
    } else if (!isIntrospection(selection.name.value) && selection.selectionSet) {
      const field = type.getFields()[selection.name.value];
      const fieldType = field && getNamedType(field.type);
      if (!field || !isObjectType(fieldType)) continue;
      const bound = listBounds[`${type.name}.${field.name}`];
      const count = isListType(getNullableType(field.type))
        ? bound === 'first'
          ? context.first
          : (bound ?? 1)
        : 1;
      const first = firstOf(
        selection.arguments?.find((argument) => argument.name.value === 'first')?.value,
        context.variables,
      );
      cost += count * (1 + selectionCost(selection.selectionSet, fieldType, { ...context, first }, seen));
    }
  }
  return cost;
}

/** The cost of the operation a request runs, before anything is read (see the module's comment). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Readonly<Record<string, unknown>>,
): number {
  const operation = getOperationAST(document, operationName);
  const root = schema.getQueryType();
  if (!operation || !root) return 0;
  const fragments = fragmentsOf(document);
  return selectionCost(operation.selectionSet, root, { fragments, variables, first: defaultPageSize });
}

export function validationRules(options: { introspection: boolean }): readonly ValidationRule[] {
  return [
    ...specifiedRules,
    complexityRule,
    ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}

export { tooComplex };
