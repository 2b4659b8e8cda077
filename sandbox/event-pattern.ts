/**
 * EventBridge event-pattern matching with the semantics of the `TestEventPattern` API, so the
 * sandbox's bus and stream pollers route exactly as the deployed rules and filters do.
 *
 * A pattern is validated into typed match conditions first (throwing for anything EventBridge would
 * reject with InvalidEventPatternException), then evaluated against the event.
 *
 * Semantics follow AWS's event-ruler, the matcher behind EventBridge: pattern and event are both
 * flattened to dot-joined field paths, so `{"a":{"b":…}}` and `{"a.b":…}` name the same field on
 * either side (the EventBridge user guide documents this). Paths are ANDed; the values of a leaf
 * array are ORed; a path matches when any of the event's values there matches (an array in the
 * event offers each element); the fields one match uses must lie in the same element of every array
 * of objects they share; a missing field matches only `exists: false`; `$or` forks the pattern into
 * alternatives at any level.
 *
 * @example
 * testEventPattern('{"source":["saas.orders"],"detail":{"data":{"total":[{"numeric":[">",100]}]}}}', eventJson);
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

type LeafValue = null | boolean | number | string;

type Condition =
  | { kind: 'exact'; value: LeafValue }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equalsIgnoreCase'; value: string }
  | { kind: 'wildcard'; regex: RegExp }
  | { kind: 'anythingBut'; test: (value: LeafValue) => boolean }
  | { kind: 'numeric'; test: (value: number) => boolean }
  | { kind: 'exists'; value: boolean }
  | { kind: 'cidr'; blocks: BlockList };

/** One way for the pattern to match: conditions per dot-joined path, sorted by path, all of which must hold. */
type Branch = readonly (readonly [path: string, conditions: readonly Condition[]])[];

/** A leaf of the event, with the element index it takes in each enclosing array of objects or arrays. */
interface EventField {
  value: LeafValue;
  elements: ReadonlyMap<number, number>;
}

/** EventBridge's documented numeric range for `numeric` and number matching. */
const numericLimit = 5e9;

export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
}

function invalid(path: string, reason: string): never {
  throw new InvalidEventPatternError(`Event pattern is not valid at ${path || '<root>'}: ${reason}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new InvalidEventPatternError(`${what} is not valid JSON`);
  }
}

function requireString(operand: Json, path: string, operator: string): string {
  if (typeof operand !== 'string') invalid(path, `${operator} takes a string`);
  return operand;
}

function requireNumberInRange(operand: Json, path: string): number {
  if (typeof operand !== 'number' || !Number.isFinite(operand)) invalid(path, 'numeric takes numbers');
  if (Math.abs(operand) > numericLimit) invalid(path, `numbers must lie within ±${numericLimit}`);
  return operand;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `*` matches any run of characters; `\\*` is a literal star and `\\\\` a literal backslash. */
function compileWildcard(wildcard: string, path: string): RegExp {
  let source = '';
  let previousWasWildcard = false;
  for (let index = 0; index < wildcard.length; index += 1) {
    const character = wildcard[index] as string;
    if (character === '\\') {
      const next = wildcard[index + 1];
      if (next !== '*' && next !== '\\') invalid(path, 'wildcard escapes only * and \\');
      source += escapeRegex(next);
      index += 1;
      previousWasWildcard = false;
    } else if (character === '*') {
      if (previousWasWildcard) invalid(path, 'wildcard may not hold consecutive * characters');
      source += '.*';
      previousWasWildcard = true;
    } else {
      source += escapeRegex(character);
      previousWasWildcard = false;
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function compileCidr(operand: Json, path: string): BlockList {
  const cidr = requireString(operand, path, 'cidr');
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  const address = match?.[1] ?? '';
  const prefix = Number(match?.[2]);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!match || !family || prefix > (family === 'ipv4' ? 32 : 128))
    invalid(path, `"${cidr}" is not a CIDR block`);
  const blocks = new BlockList();
  blocks.addSubnet(address, prefix, family);
  return blocks;
}

function compileNumeric(operand: Json, path: string): (value: number) => boolean {
  if (!Array.isArray(operand) || operand.length === 0) invalid(path, 'numeric takes a non-empty array');
  const comparisons: ((value: number) => boolean)[] = [];
  const lowerOperators = new Set(['>', '>=']);
  const upperOperators = new Set(['<', '<=']);
  let lower: number | undefined;
  let upper: number | undefined;
  let sawEquals = false;
  for (let index = 0; index < operand.length; index += 2) {
    const operator = operand[index];
    const bound = requireNumberInRange(operand[index + 1] ?? null, path);
    if (typeof operator !== 'string') invalid(path, 'numeric expects operator, number pairs');
    if (operator === '=') {
      if (operand.length !== 2) invalid(path, 'numeric "=" stands alone');
      sawEquals = true;
      comparisons.push((value) => value === bound);
    } else if (lowerOperators.has(operator)) {
      if (lower !== undefined) invalid(path, 'numeric takes at most one lower bound');
      lower = bound;
      comparisons.push(operator === '>' ? (value) => value > bound : (value) => value >= bound);
    } else if (upperOperators.has(operator)) {
      if (upper !== undefined) invalid(path, 'numeric takes at most one upper bound');
      upper = bound;
      comparisons.push(operator === '<' ? (value) => value < bound : (value) => value <= bound);
    } else {
      invalid(path, `unknown numeric operator "${operator}"`);
    }
  }
  if (!sawEquals && operand.length > 4) invalid(path, 'numeric takes one or two comparisons');
  if (lower !== undefined && upper !== undefined && lower >= upper) invalid(path, 'numeric range is empty');
  return (value) => comparisons.every((comparison) => comparison(value));
}

/** `prefix`/`suffix` take a string or `{ "equals-ignore-case": string }`. */
function compileAffix(operand: Json, path: string, operator: string): { value: string; ignoreCase: boolean } {
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case')
      invalid(path, `${operator} takes a string or equals-ignore-case`);
    return { value: requireString(operand['equals-ignore-case'] ?? null, path, operator), ignoreCase: true };
  }
  return { value: requireString(operand, path, operator), ignoreCase: false };
}

/** The string or list of strings `anything-but` applies prefix, suffix, equals-ignore-case or wildcard to. */
function anythingButStrings(operand: Json, path: string, operator: string): string[] {
  const values = Array.isArray(operand) ? operand : [operand];
  // event-ruler's compiler accepts an empty list here, but its Machine then fails to add the rule.
  if (values.length === 0) invalid(path, `anything-but ${operator} takes a non-empty list`);
  return values.map((value) => requireString(value, path, `anything-but ${operator}`));
}

function nonEmptyAffixes(operand: Json, path: string, operator: string): string[] {
  const affixes = anythingButStrings(operand, path, operator);
  if (affixes.includes('')) invalid(path, `anything-but ${operator} may not be empty`);
  return affixes;
}

/** Whether a string is among those an `anything-but` operator object excludes. */
function compileAnythingButExclusion(
  operator: string,
  operand: Json,
  path: string,
): (value: string) => boolean {
  switch (operator) {
    case 'prefix': {
      const prefixes = nonEmptyAffixes(operand, path, operator);
      return (value) => prefixes.some((prefix) => value.startsWith(prefix));
    }
    case 'suffix': {
      const suffixes = nonEmptyAffixes(operand, path, operator);
      return (value) => suffixes.some((suffix) => value.endsWith(suffix));
    }
    case 'equals-ignore-case': {
      const excluded = new Set(
        anythingButStrings(operand, path, operator).map((value) => value.toLowerCase()),
      );
      return (value) => excluded.has(value.toLowerCase());
    }
    case 'wildcard': {
      const patterns = anythingButStrings(operand, path, operator).map((wildcard) =>
        compileWildcard(wildcard, path),
      );
      return (value) => patterns.some((pattern) => pattern.test(value));
    }
    default:
      return invalid(path, `anything-but does not support "${operator}"`);
  }
}

function compileAnythingBut(operand: Json, path: string): (value: LeafValue) => boolean {
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    const operator = keys[0];
    if (keys.length !== 1 || operator === undefined) invalid(path, 'anything-but takes one operator');
    const isExcluded = compileAnythingButExclusion(operator, operand[operator] ?? null, path);
    // Surprising, but event-ruler does this: these forms only ever exclude strings, so null, booleans
    // and numbers always match (ByteMachine.doTransitionOn compares their unquoted text with quoted patterns).
    return (value) => typeof value !== 'string' || !isExcluded(value);
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  if (excluded.length === 0) invalid(path, 'anything-but takes a non-empty list');
  const allStrings = excluded.every((value) => typeof value === 'string');
  const allNumbers = excluded.every((value) => typeof value === 'number');
  if (!allStrings && !allNumbers) invalid(path, 'anything-but takes strings or numbers, not both');
  if (allNumbers) {
    for (const value of excluded) requireNumberInRange(value, path);
  }
  return (value) => !excluded.some((candidate) => candidate === value);
}

function compileCondition(element: Json, path: string): Condition {
  if (!isObject(element)) {
    if (Array.isArray(element)) invalid(path, 'a leaf array may not hold arrays');
    if (typeof element === 'number') requireNumberInRange(element, path);
    return { kind: 'exact', value: element };
  }
  const keys = Object.keys(element);
  const operator = keys[0];
  if (keys.length !== 1 || operator === undefined)
    invalid(path, 'an operator object holds exactly one operator');
  const operand = element[operator] ?? null;
  switch (operator) {
    case 'prefix':
      return { kind: 'prefix', ...compileAffix(operand, path, 'prefix') };
    case 'suffix':
      return { kind: 'suffix', ...compileAffix(operand, path, 'suffix') };
    case 'equals-ignore-case':
      return { kind: 'equalsIgnoreCase', value: requireString(operand, path, 'equals-ignore-case') };
    case 'wildcard':
      return { kind: 'wildcard', regex: compileWildcard(requireString(operand, path, 'wildcard'), path) };
    case 'anything-but':
      return { kind: 'anythingBut', test: compileAnythingBut(operand, path) };
    case 'numeric':
      return { kind: 'numeric', test: compileNumeric(operand, path) };
    case 'exists':
      if (typeof operand !== 'boolean') invalid(path, 'exists takes true or false');
      return { kind: 'exists', value: operand };
    case 'cidr':
      return { kind: 'cidr', blocks: compileCidr(operand, path) };
    default:
      return invalid(path, `unknown operator "${operator}"`);
  }
}

function joinPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/**
 * Adds an object's conditions to the branches and returns them, as event-ruler's JsonRuleCompiler
 * does: nested keys join with dots, `$or` replaces every branch with one copy per alternative, and a
 * path given twice (e.g. as `"a.b"` and as `"a":{"b":…}`) keeps its last conditions.
 */
function compileObject(
  pattern: JsonObject,
  path: string,
  branches: Map<string, Condition[]>[],
): Map<string, Condition[]>[] {
  const entries = Object.entries(pattern);
  if (entries.length === 0) invalid(path, 'a pattern object may not be empty');
  let compiled = branches;
  for (const [key, value] of entries) {
    const fieldPath = joinPath(path, key);
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2)
        invalid(fieldPath, '$or takes an array of at least two patterns');
      const forkOf = compiled;
      compiled = value.flatMap((alternative, index) => {
        if (!isObject(alternative)) invalid(`${fieldPath}[${index}]`, '$or alternatives are objects');
        return compileObject(
          alternative,
          path,
          forkOf.map((branch) => new Map(branch)),
        );
      });
    } else if (isObject(value)) {
      compiled = compileObject(value, fieldPath, compiled);
    } else if (Array.isArray(value)) {
      if (value.length === 0) invalid(fieldPath, 'a match list may not be empty');
      const conditions = value.map((element) => compileCondition(element, fieldPath));
      for (const branch of compiled) branch.set(fieldPath, conditions);
    } else {
      invalid(fieldPath, 'match values must be in an array');
    }
  }
  return compiled;
}

/** Collects the event's leaves by dot-joined path, numbering each array as event-ruler's Event does. */
function flattenEvent(event: JsonObject): Map<string, EventField[]> {
  const fields = new Map<string, EventField[]>();
  let arrayCount = 0;
  const visit = (value: Json, path: string, elements: ReadonlyMap<number, number>): void => {
    if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) visit(child, joinPath(path, key), elements);
    } else if (Array.isArray(value)) {
      const arrayId = arrayCount;
      arrayCount += 1;
      // Only objects and arrays take an element index; leaf elements are alternatives of one field.
      for (const [index, element] of value.entries()) {
        const isContainer = typeof element === 'object' && element !== null;
        visit(element, path, isContainer ? new Map(elements).set(arrayId, index) : elements);
      }
    } else {
      const existing = fields.get(path);
      if (existing) existing.push({ value, elements });
      else fields.set(path, [{ value, elements }]);
    }
  };
  visit(event, '', new Map());
  return fields;
}

/** The merged array-element choices, or undefined when the field sits in another element of a chosen array. */
function mergeElements(
  chosen: ReadonlyMap<number, number>,
  field: ReadonlyMap<number, number>,
): ReadonlyMap<number, number> | undefined {
  let merged: Map<number, number> | undefined;
  for (const [arrayId, index] of field) {
    const chosenIndex = chosen.get(arrayId);
    if (chosenIndex === undefined) {
      merged ??= new Map(chosen);
      merged.set(arrayId, index);
    } else if (chosenIndex !== index) {
      return undefined;
    }
  }
  return merged ?? chosen;
}

function valueMatches(condition: Condition, value: LeafValue): boolean {
  switch (condition.kind) {
    case 'exists':
      return condition.value;
    case 'exact':
      return condition.value === value;
    case 'prefix':
      return (
        typeof value === 'string' &&
        (condition.ignoreCase
          ? value.toLowerCase().startsWith(condition.value.toLowerCase())
          : value.startsWith(condition.value))
      );
    case 'suffix':
      return (
        typeof value === 'string' &&
        (condition.ignoreCase
          ? value.toLowerCase().endsWith(condition.value.toLowerCase())
          : value.endsWith(condition.value))
      );
    case 'equalsIgnoreCase':
      return typeof value === 'string' && value.toLowerCase() === condition.value.toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && condition.regex.test(value);
    case 'anythingBut':
      return condition.test(value);
    case 'numeric':
      return typeof value === 'number' && condition.test(value);
    case 'cidr':
      return (
        typeof value === 'string' &&
        ((isIPv4(value) && condition.blocks.check(value, 'ipv4')) ||
          (isIPv6(value) && condition.blocks.check(value, 'ipv6')))
      );
  }
}

/**
 * Tries the branch's paths in sorted order, choosing one event value per path, backtracking over
 * the array elements the choices commit to. `exists: false` holds when no value at the path fits
 * the elements chosen so far, so its outcome can depend on the paths sorted before it (event-ruler's
 * StructuredFinder.handleAbsence behaves the same way).
 */
function branchMatches(branch: Branch, fields: Map<string, EventField[]>): boolean {
  const matchFrom = (position: number, chosen: ReadonlyMap<number, number>): boolean => {
    const step = branch[position];
    if (step === undefined) return true;
    const [path, conditions] = step;
    const candidates = (fields.get(path) ?? []).flatMap((field) => {
      const merged = mergeElements(chosen, field.elements);
      return merged ? [{ value: field.value, merged }] : [];
    });
    const acceptsAbsence = conditions.some((condition) => condition.kind === 'exists' && !condition.value);
    if (acceptsAbsence && candidates.length === 0 && matchFrom(position + 1, chosen)) return true;
    return candidates.some(
      ({ value, merged }) =>
        conditions.some((condition) => valueMatches(condition, value)) && matchFrom(position + 1, merged),
    );
  };
  return matchFrom(0, new Map());
}

/** Compiles a pattern once for repeated matching; throws InvalidEventPatternError for a pattern EventBridge rejects. */
export function compileEventPattern(eventPatternJson: string): (event: unknown) => boolean {
  const pattern = parseJson(eventPatternJson, 'The event pattern');
  if (!isObject(pattern)) throw new InvalidEventPatternError('The event pattern must be a JSON object');
  const branches: Branch[] = compileObject(pattern, '', [new Map()]).map((branch) =>
    [...branch].sort(([left], [right]) => (left < right ? -1 : 1)),
  );
  return (event) => {
    if (!isObject(event as Json)) return false;
    const fields = flattenEvent(event as JsonObject);
    return branches.some((branch) => branchMatches(branch, fields));
  };
}

export function testEventPattern(eventPatternJson: string, eventJson: string): boolean {
  const matches = compileEventPattern(eventPatternJson);
  const event = parseJson(eventJson, 'The event');
  if (!isObject(event)) throw new InvalidEventPatternError('The event must be a JSON object');
  return matches(event);
}
