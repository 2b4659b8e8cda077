/**
 * What a document may ask for, checked before anything executes (contract section 7): at most
 * 16 KiB, a depth of 6, 50 root fields and 50 aliases; introspection only outside production.
 */
import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type SelectionSetNode,
  specifiedRules,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { errorCodes } from './schema.js';

export const graphqlLimits = {
  maxDocumentBytes: 16 * 1024,
  maxDepth: 6,
  maxRootFields: 50,
  maxAliases: 50,
} as const;

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
    if (selection.kind === Kind.FIELD) count += 1;
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

const complexityRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const document = context.getDocument();
  const fragments = Object.fromEntries(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
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

export function validationRules(options: { introspection: boolean }): readonly ValidationRule[] {
  return [
    ...specifiedRules,
    complexityRule,
    ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}

export { tooComplex };
