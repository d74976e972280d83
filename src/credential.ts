/**
 * What an upstream call is authorised with, decided by src/callers/ and carried by the CXone
 * client: shared by both so that neither imports the other.
 */
import { hash } from 'node:crypto';

/** Forward mode carries the caller's bearer token to CXone; access-key mode the service's own key. */
export type Caller =
  | { readonly mode: 'forward'; readonly token: string | null }
  | { readonly mode: 'access-key' };

/** SHA-256 hex of the full token: a cache key that tells callers apart without storing their token. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}
