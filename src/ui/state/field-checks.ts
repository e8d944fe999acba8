/**
 * Checking single fields of the entry dialog as the user types, with the core's own
 * validators, and saying what is wrong in the dialog's words: a name against the vault's
 * naming style (with a suggestion for environment-style vaults), JSON text against the parser
 * (with line, column and the offset to put the caret at). Nothing here quotes what was typed.
 */
import type { NameStyle } from '../../core/vault';
import {
  InvalidJsonError,
  InvalidNameError,
  parseJsonText,
  suggestEnvironmentName,
  validateEntryName,
} from '../../core/vault';

/** The naming rule of a style, as a hint under the Name field. */
export function nameRuleHint(style: NameStyle): string {
  return style === 'environment'
    ? 'Uppercase letters, digits and "_", starting with a letter, like API_KEY.'
    : 'A letter, then letters, digits, "_", "-" or ".", like my-item or API_KEY.';
}
/** A core message ("name must …") as a sentence for the dialog. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why a name is refused in this style (the rule that failed), or null. */
export function nameProblem(
  name: string,
  style: NameStyle,
): { message: string; suggestion?: string } | null {
  try {
    validateEntryName(name, style);
    return null;
  } catch (error) {
    if (!(error instanceof InvalidNameError)) throw error;
    const suggestion = style === 'environment' ? suggestEnvironmentName(name) : undefined;
    return {
      message: capitalize(error.message),
      ...(suggestion !== undefined ? { suggestion } : {}),
    };
  }
}

/** "Line 3, column 7: expected ..." for an InvalidJsonError from text; its message otherwise. */
export function describeJsonError(error: InvalidJsonError): string {
  if (error.line !== undefined && error.column !== undefined) {
    return `Line ${error.line}, column ${error.column}: ${error.problem}`;
  }
  return capitalize(error.message);
}

/** Parses editor text; the problem (with line and column) and where it is, or null if valid. */
export function jsonTextProblem(text: string): { message: string; offset: number } | null {
  try {
    parseJsonText(text);
    return null;
  } catch (error) {
    if (!(error instanceof InvalidJsonError)) throw error;
    return { message: describeJsonError(error), offset: error.offset ?? 0 };
  }
}

/** Pretty-prints valid JSON text with two spaces; throws InvalidJsonError if it does not parse. */
export function formatJsonText(text: string): string {
  return JSON.stringify(parseJsonText(text), null, 2);
}
