/**
 * What may be done with one answer, decided once by the pipeline and recorded on its `AnswerRecord`:
 * Cache-Control, and whether, for whom and until when our caches may replay it. The replaying layers
 * obey it and apply no GraphQL rule, so no alias or directive can slip past one.
 */

export interface AnswerScope {
  /** Who may be served an answer kept for this caller (tenant, cache scope, granted field scopes). */
  readonly scope: string;
  /** Whose links the answer holds: a forced refresh by any caller of it supersedes the answer. */
  readonly linksScope: string;
}

/** An entity fetch's answer split per representation. */
export interface EntityParts {
  readonly responseKey: string;
  readonly variable: string;
  /** Each slot's JSON text and its earliest link's expiry; null where it may not be kept (an error, no link). */
  readonly parts: ReadonlyArray<{ readonly body: string; readonly expiresAt: number } | null>;
}

interface ReplayPolicy {
  readonly scope: AnswerScope;
  readonly expiresAt: number;
  /** No error anywhere: the whole answer may be replayed. */
  readonly whole: boolean;
  /** An entity fetch without an error outside its slots. */
  readonly entities: EntityParts | null;
}

export interface AnswerPolicy {
  /** `Cache-Control: private, max-age` for the client, in ms; null: `no-store`. */
  readonly clientMaxAgeMs: number | null;
  readonly replay: ReplayPolicy | null;
  /** Present when this entity fetch's answer may stand for its slots in a larger page of kept entities. */
  readonly slots?: EntitySlots;
}

/** One error of an entity fetch, in its slot: `path` starts with the response key and the slot. */
export interface SlotError {
  readonly slot: number;
  readonly error: Readonly<Record<string, unknown>>;
}

export interface EntitySlots {
  readonly scope: AnswerScope;
  readonly responseKey: string;
  readonly variable: string;
  readonly bodies: readonly string[];
  readonly errors: readonly SlotError[];
  /** null when no link was read. */
  readonly expiresAt: number | null;
}

/** The text `JSON.stringify` writes for `{ errors, data: { [responseKey]: bodies } }`, paths re-pointed at slots. */
export function entitiesAnswerText(responseKey: string, bodies: readonly string[], errors: readonly SlotError[]): string {
  const data = `"data":{${JSON.stringify(responseKey)}:[${bodies.join(',')}]}`;
  if (errors.length === 0) return `{${data}}`;
  const texts = errors.map(({ slot, error }) => {
    const path: unknown = error['path'];
    const rest = Array.isArray(path) ? (path.slice(2) as unknown[]) : [];
    // Spread keeps the error's key order; `path` is replaced where it stands.
    return JSON.stringify({ ...error, path: [responseKey, slot, ...rest] });
  });
  return `{"errors":[${texts.join(',')}],${data}}`;
}

export function cacheControlOf(clientMaxAgeMs: number | null): string {
  return clientMaxAgeMs === null ? 'no-store' : `private, max-age=${String(Math.floor(clientMaxAgeMs / 1000))}`;
}

/** What one request's execution saw that decides its policy, filled while it runs. */
export class AnswerRecord {
  private minRemainingMs: number | null = null;
  /** Per contact, the smallest remaining lifetime of what was read for it. */
  private readonly byContact = new Map<string, number>();
  /** Something was read that names no contact (a segment): entities cannot be told apart then. */
  private unattributed = false;
  private passing = false;
  private refreshed = false;
  private decided: AnswerPolicy | undefined;

  /** `scope` null: a refused caller (never replayed). */
  constructor(
    readonly scope: AnswerScope | null,
    readonly startedAt: number,
  ) {}

  /** The answer used a cached or fetched entry still usable for `remainingMs`, of `acdContactId` when it names one. */
  linkRead(remainingMs: number, acdContactId: string | null): void {
    this.minRemainingMs = this.minRemainingMs === null ? remainingMs : Math.min(this.minRemainingMs, remainingMs);
    if (acdContactId === null) {
      this.unattributed = true;
      return;
    }
    const known = this.byContact.get(acdContactId);
    this.byContact.set(acdContactId, known === undefined ? remainingMs : Math.min(known, remainingMs));
  }

  /** Undefined when nothing was read for it, or a read named no contact. */
  remainingMsOf(acdContactId: string): number | undefined {
    return this.unattributed ? undefined : this.byContact.get(acdContactId);
  }

  /** The answer holds a state that may change any moment (a `recordingStatus` other than AVAILABLE). */
  passingState(): void {
    this.passing = true;
  }

  /** The request asked for new links (`refresh: true`): a later refresh must never get this answer back. */
  refreshAsked(): void {
    this.refreshed = true;
  }

  get remainingMs(): number | null {
    return this.minRemainingMs;
  }

  get hasPassingState(): boolean {
    return this.passing;
  }

  get askedRefresh(): boolean {
    return this.refreshed;
  }

  decide(policy: AnswerPolicy): void {
    if (this.decided !== undefined) throw new Error('an answer policy is decided once per request');
    this.decided = policy;
  }

  /** Undefined until the answer was sent. */
  get policy(): AnswerPolicy | undefined {
    return this.decided;
  }
}
