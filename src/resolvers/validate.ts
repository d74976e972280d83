/**
 * Checks that run before any upstream call: a caller, and arguments. An id that is not a CXone id
 * never reaches CXone (and never reaches a cache key).
 */
import type { GraphQLContext } from '../context.js';
import { badUserInput, type AppError } from '../errors.js';

const ACD_ID = /^\d{1,20}$/;
const SEGMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Shows at most a short, printable prefix of bad input, so an error never echoes a huge or hostile value. */
function shown(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 24 ? `${printable.slice(0, 24)}...` : printable;
}

/**
 * null when valid, else the error to raise. Takes any value: an `_entities` representation's key
 * arrives as whatever JSON the router (or an attacker) sent: a number, null, an object.
 */
export function checkAcdId(value: unknown, argumentName: string): AppError | null {
  if (typeof value === 'string' && ACD_ID.test(value)) return null;
  if (value === null || value === undefined || value === '') {
    return badUserInput(`${argumentName} is missing: a CXone id of 1 to 20 digits is required.`, argumentName);
  }
  if (typeof value !== 'string') {
    return badUserInput(`${argumentName} must be a string of 1 to 20 digits (got a ${typeof value}).`, argumentName);
  }
  return badUserInput(`${argumentName} must be a CXone id: 1 to 20 digits (got "${shown(value)}").`, argumentName);
}

export function requireAcdId(value: unknown, argumentName: string): string {
  const problem = checkAcdId(value, argumentName);
  if (problem !== null || typeof value !== 'string') throw problem ?? badUserInput(`${argumentName} is missing.`, argumentName);
  return value;
}

export function requireSegmentId(value: string, argumentName: string): string {
  if (SEGMENT_ID.test(value)) return value;
  throw badUserInput(`${argumentName} must be 1 to 64 letters, digits, '-' or '_' (got "${shown(value)}").`, argumentName);
}

/** Throws on an empty list or one longer than `max`. */
export function requireListSize(values: readonly unknown[], max: number, argumentName: string): void {
  if (values.length === 0) throw badUserInput(`${argumentName} must not be empty.`, argumentName);
  if (values.length > max) {
    throw badUserInput(
      `${argumentName} has ${values.length} ids; at most ${max} per request (page through larger sets).`,
      argumentName,
    );
  }
}

/** Fields that answer without an upstream call still need a caller: a refused one gets its error, never data. */
export function requireCaller(ctx: GraphQLContext): void {
  if (!ctx.access.accepted) throw ctx.access.error;
}
