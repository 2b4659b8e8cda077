/**
 * The one rule for text a client sends (names, emails, skus, ids, tokens, cursors, keys): it is
 * well-formed Unicode (no lone surrogate, which has no UTF-8 encoding and fails downstream) with
 * no control character (U+0000-U+001F, U+007F), which no field here has a use for and which logs,
 * CSV exports and terminals misread.
 *
 * @example
 * const name = text({ min: 1, max: 200 }); // a zod/mini schema with the rule and the lengths
 */
import * as z from 'zod/mini';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose.
const controlCharacter = /[\u0000-\u001F\u007F]/;

export const plainTextMessage = 'Must be well-formed Unicode without control characters';

export const isPlainText = (value: string): boolean => value.isWellFormed() && !controlCharacter.test(value);

/** The rule as a zod/mini check, for string schemas with their own shape (a regex, an email). */
export const plainText = z.refine<string>(isPlainText, plainTextMessage);

/** A text field of `min` to `max` UTF-16 code units that keeps the rule. */
export const text = ({ min, max }: { min: number; max: number }) =>
  z.string().check(z.minLength(min), z.maxLength(max), plainText);
