/**
 * EventBridge event-pattern matching with the semantics of the `TestEventPattern` API, so the
 * sandbox's bus and stream pollers route exactly as the deployed rules and filters do.
 *
 * A pattern is validated into a typed matcher tree first (throwing for anything EventBridge would
 * reject with InvalidEventPatternException), then evaluated against the event.
 *
 * Semantics: keys are ANDed; the values of a leaf array are ORed; a leaf matches when any of the
 * event's values at that path matches (an array in the event offers each element); a nested pattern
 * against an array of objects needs one element to match the whole nested pattern; a missing field
 * matches only `exists: false`; `$or` takes two or more alternative patterns at any level.
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

interface ObjectMatcher {
  fields: Map<string, FieldMatcher>;
  alternatives: ObjectMatcher[][];
}

type FieldMatcher = { kind: 'object'; matcher: ObjectMatcher } | { kind: 'leaf'; conditions: Condition[] };

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

/** `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash. */
function compileWildcard(operand: Json, path: string): RegExp {
  const wildcard = requireString(operand, path, 'wildcard');
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

function stringList(operand: Json, path: string, operator: string): string[] {
  const values = Array.isArray(operand) ? operand : [operand];
  if (values.length === 0) invalid(path, `${operator} takes a non-empty list`);
  return values.map((value) => requireString(value, path, operator));
}

function compileAnythingBut(operand: Json, path: string): (value: LeafValue) => boolean {
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    const operator = keys[0];
    if (keys.length !== 1 || operator === undefined) invalid(path, 'anything-but takes one operator');
    const inner = operand[operator] ?? null;
    switch (operator) {
      case 'prefix': {
        const prefix = requireString(inner, path, 'anything-but prefix');
        return (value) => typeof value === 'string' && !value.startsWith(prefix);
      }
      case 'suffix': {
        const suffix = requireString(inner, path, 'anything-but suffix');
        return (value) => typeof value === 'string' && !value.endsWith(suffix);
      }
      case 'equals-ignore-case': {
        const excluded = new Set(
          stringList(inner, path, 'anything-but equals-ignore-case').map((v) => v.toLowerCase()),
        );
        return (value) => typeof value === 'string' && !excluded.has(value.toLowerCase());
      }
      case 'wildcard': {
        const patterns = (Array.isArray(inner) ? inner : [inner]).map((p) => compileWildcard(p, path));
        if (patterns.length === 0) invalid(path, 'anything-but wildcard takes a non-empty list');
        return (value) => typeof value === 'string' && !patterns.some((regex) => regex.test(value));
      }
      default:
        return invalid(path, `anything-but does not support "${operator}"`);
    }
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
      return { kind: 'wildcard', regex: compileWildcard(operand, path) };
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

function compileObject(pattern: JsonObject, path: string): ObjectMatcher {
  const entries = Object.entries(pattern);
  if (entries.length === 0) invalid(path, 'a pattern object may not be empty');
  const matcher: ObjectMatcher = { fields: new Map(), alternatives: [] };
  for (const [key, value] of entries) {
    const fieldPath = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2)
        invalid(fieldPath, '$or takes an array of at least two patterns');
      matcher.alternatives.push(
        value.map((alternative, index) => {
          if (!isObject(alternative)) invalid(`${fieldPath}[${index}]`, '$or alternatives are objects');
          return compileObject(alternative, path);
        }),
      );
    } else if (isObject(value)) {
      matcher.fields.set(key, { kind: 'object', matcher: compileObject(value, fieldPath) });
    } else if (Array.isArray(value)) {
      if (value.length === 0) invalid(fieldPath, 'a match list may not be empty');
      matcher.fields.set(key, {
        kind: 'leaf',
        conditions: value.map((element) => compileCondition(element, fieldPath)),
      });
    } else {
      invalid(fieldPath, 'match values must be in an array');
    }
  }
  return matcher;
}

/** The leaf values an event offers at a field: the value itself, or each leaf element of an array. */
function leafValues(value: Json | undefined): LeafValue[] {
  if (value === undefined || isObject(value)) return [];
  if (Array.isArray(value))
    return value.flatMap((element) =>
      Array.isArray(element) ? leafValues(element) : isObject(element) ? [] : [element],
    );
  return [value];
}

function sameValue(expected: LeafValue, actual: LeafValue): boolean {
  return expected === actual;
}

function conditionMatches(condition: Condition, values: LeafValue[]): boolean {
  switch (condition.kind) {
    case 'exists':
      return condition.value === values.length > 0;
    case 'exact':
      return values.some((value) => sameValue(condition.value, value));
    case 'prefix':
      return values.some(
        (value) =>
          typeof value === 'string' &&
          (condition.ignoreCase
            ? value.toLowerCase().startsWith(condition.value.toLowerCase())
            : value.startsWith(condition.value)),
      );
    case 'suffix':
      return values.some(
        (value) =>
          typeof value === 'string' &&
          (condition.ignoreCase
            ? value.toLowerCase().endsWith(condition.value.toLowerCase())
            : value.endsWith(condition.value)),
      );
    case 'equalsIgnoreCase':
      return values.some(
        (value) => typeof value === 'string' && value.toLowerCase() === condition.value.toLowerCase(),
      );
    case 'wildcard':
      return values.some((value) => typeof value === 'string' && condition.regex.test(value));
    case 'anythingBut':
      return values.some((value) => condition.test(value));
    case 'numeric':
      return values.some((value) => typeof value === 'number' && condition.test(value));
    case 'cidr':
      return values.some(
        (value) =>
          typeof value === 'string' &&
          ((isIPv4(value) && condition.blocks.check(value, 'ipv4')) ||
            (isIPv6(value) && condition.blocks.check(value, 'ipv6'))),
      );
  }
}

function fieldMatches(field: FieldMatcher, value: Json | undefined): boolean {
  if (field.kind === 'leaf') {
    const values = leafValues(value);
    return field.conditions.some((condition) => conditionMatches(condition, values));
  }
  if (isObject(value)) return objectMatches(field.matcher, value);
  if (Array.isArray(value))
    return value.some((element) => isObject(element) && objectMatches(field.matcher, element));
  return objectMatchesMissing(field.matcher);
}

/** A nested pattern over a missing object still matches when all it asks is that fields be absent. */
function objectMatchesMissing(matcher: ObjectMatcher): boolean {
  return objectMatches(matcher, {});
}

function objectMatches(matcher: ObjectMatcher, event: JsonObject): boolean {
  for (const [key, field] of matcher.fields) {
    if (!fieldMatches(field, event[key])) return false;
  }
  return matcher.alternatives.every((alternatives) =>
    alternatives.some((alternative) => objectMatches(alternative, event)),
  );
}

/** Compiles a pattern once for repeated matching; throws InvalidEventPatternError for a pattern EventBridge rejects. */
export function compileEventPattern(eventPatternJson: string): (event: unknown) => boolean {
  const pattern = parseJson(eventPatternJson, 'The event pattern');
  if (!isObject(pattern)) throw new InvalidEventPatternError('The event pattern must be a JSON object');
  const matcher = compileObject(pattern, '');
  return (event) => isObject(event as Json) && objectMatches(matcher, event as JsonObject);
}

export function testEventPattern(eventPatternJson: string, eventJson: string): boolean {
  const matches = compileEventPattern(eventPatternJson);
  const event = parseJson(eventJson, 'The event');
  if (!isObject(event)) throw new InvalidEventPatternError('The event must be a JSON object');
  return matches(event);
}
