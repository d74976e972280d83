/**
 * What may be done with one answer, decided once by the pipeline that built it and recorded on the
 * request's `AnswerRecord`: how long a client may keep it (Cache-Control) and whether, for whom and
 * until when our answer caches may replay it, whole or per entity. The replaying layers (src/http/)
 * obey the policy and know no GraphQL rule: a persisted query, an escaped argument, an alias or a
 * directive cannot slip past a rule they never apply.
 */

/** The cache scope of a verified caller: who may share kept answers, and whose links they hold. */
export interface AnswerScope {
  /** Who may be served an answer kept for this caller (tenant, cache scope, granted field scopes). */
  readonly scope: string;
  /** Whose links the answer holds: a forced refresh by any caller of it supersedes the answer. */
  readonly linksScope: string;
}

/** How an entity fetch's answer splits into one answer per representation. */
export interface EntityParts {
  /** The response key of `_entities` (its alias, if any). */
  readonly responseKey: string;
  /** The variable that held the representations. */
  readonly variable: string;
  /**
   * Each entity in slot order: its JSON text as it sits in the answer, and when (ms since the
   * epoch) its earliest link stops being usable; null where the slot may not be kept (an error in
   * it, or no link of its own).
   */
  readonly parts: ReadonlyArray<{ readonly body: string; readonly expiresAt: number } | null>;
}

interface ReplayPolicy {
  readonly scope: AnswerScope;
  /** ms since the epoch (injected clock): the earliest link in the answer stops being usable then. */
  readonly expiresAt: number;
  /** The whole answer may be replayed for the same request (no error anywhere in it). */
  readonly whole: boolean;
  /** Its entities may be replayed one by one (an entity fetch without an error outside its slots). */
  readonly entities: EntityParts | null;
}

export interface AnswerPolicy {
  /** `Cache-Control: private, max-age` for the client, in ms; null: `no-store`. */
  readonly clientMaxAgeMs: number | null;
  /** Whether our answer caches may keep it; null: never. */
  readonly replay: ReplayPolicy | null;
  /**
   * An entity fetch's answer slot by slot, present when it may stand for its representations in a
   * larger page of the same operation whose other entities were kept (status 200, a caller scope,
   * no refresh, no passing state, no error outside a slot, no extensions, within the byte bound).
   */
  readonly slots?: EntitySlots;
}

/** One error of an entity fetch, in its slot: `path` starts with the response key and the slot. */
export interface SlotError {
  readonly slot: number;
  readonly error: Readonly<Record<string, unknown>>;
}

export interface EntitySlots {
  /** The caller scope the part was executed for. */
  readonly scope: AnswerScope;
  readonly responseKey: string;
  readonly variable: string;
  /** Each slot's JSON text as it sits in the answer (`null` included). */
  readonly bodies: readonly string[];
  /** The answer's errors in their order, each with its slot. */
  readonly errors: readonly SlotError[];
  /** ms since the epoch: the earliest link read stops being usable then; null when none was read. */
  readonly expiresAt: number | null;
}

/**
 * The JSON text Apollo sends for an entity fetch whose slots are `bodies` and whose errors are
 * `errors` (each error's path re-pointed at its slot here), as `JSON.stringify` of
 * `{ errors, data: { [responseKey]: [...] } }` writes it.
 */
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

/** `Cache-Control` of a policy's client lifetime. */
export function cacheControlOf(clientMaxAgeMs: number | null): string {
  return clientMaxAgeMs === null ? 'no-store' : `private, max-age=${String(Math.floor(clientMaxAgeMs / 1000))}`;
}

/**
 * What one request's execution saw that decides its policy, filled while it runs (by loaders and
 * resolvers, through the context) and closed by the pipeline when the answer is sent.
 */
export class AnswerRecord {
  private minRemainingMs: number | null = null;
  /** Per contact, the smallest remaining lifetime of what was read for it. */
  private readonly byContact = new Map<string, number>();
  /** Something was read that names no contact (a segment): entities cannot be told apart then. */
  private unattributed = false;
  private passing = false;
  private refreshed = false;
  private decided: AnswerPolicy | undefined;

  /**
   * @param scope the verified caller's answer scope; null for a refused caller (never replayed)
   * @param startedAt when the request started (injected clock): lifetimes count from then
   */
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

  /**
   * The smallest remaining lifetime of what was read for one contact; undefined when nothing was,
   * or when a read named no contact (then no entity's own lifetime is known).
   */
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

  /** The smallest remaining lifetime of what the answer used; null when it used none. */
  get remainingMs(): number | null {
    return this.minRemainingMs;
  }

  get hasPassingState(): boolean {
    return this.passing;
  }

  get askedRefresh(): boolean {
    return this.refreshed;
  }

  /** Records the pipeline's decision; once. */
  decide(policy: AnswerPolicy): void {
    if (this.decided !== undefined) throw new Error('an answer policy is decided once per request');
    this.decided = policy;
  }

  /** The decision, once the answer was sent; undefined before (or when the pipeline never ran). */
  get policy(): AnswerPolicy | undefined {
    return this.decided;
  }
}
