/**
 * The per-contact state behind CXone's 202 and 425 answers: how often the "processing" contact
 * has been asked, and which "locked" contacts have a request in flight. The state is per
 * simulator instance and cleared by reset().
 */

export class ProcessingCounter {
  private readonly polls = new Map<string, number>();

  /** Counts this request; true while the contact should still answer 202. */
  stillProcessing(acdContactId: string, pollsBefore200: number): boolean {
    const seen = this.polls.get(acdContactId) ?? 0;
    if (seen >= pollsBefore200) return false;
    this.polls.set(acdContactId, seen + 1);
    return true;
  }

  reset(): void {
    this.polls.clear();
  }
}

/** A held lock; release() is safe after a reset() dropped it. */
export interface HeldLock {
  release(): void;
}

export class ContactLocks {
  private readonly held = new Map<string, symbol>();

  /** The lock, or null when another request for the contact is in flight (425). */
  tryAcquire(acdContactId: string): HeldLock | null {
    if (this.held.has(acdContactId)) return null;
    const ticket = Symbol(acdContactId);
    this.held.set(acdContactId, ticket);
    return {
      // Only the holder's own ticket is removed, so a request that outlives reset() cannot
      // free a lock a newer request took after the reset.
      release: () => {
        if (this.held.get(acdContactId) === ticket) this.held.delete(acdContactId);
      },
    };
  }

  reset(): void {
    this.held.clear();
  }
}
