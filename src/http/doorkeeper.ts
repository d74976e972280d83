/**
 * Which keys were offered recently, in a fixed table of 32-bit fingerprints (TinyLFU's doorkeeper),
 * so an answer is stored from its second offer: a one-off answer costs no insertion and evicts
 * nothing that recurs. No key is retained. Two keys sharing a slot only delay an admission, and a
 * fingerprint match of another key only admits an answer the policy allowed, one offer early.
 */
export class Doorkeeper {
  private readonly fingerprints: Uint32Array;
  private readonly mask: number;

  /** `slots` is rounded up to a power of two. */
  constructor(slots: number) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(2, slots)));
    this.fingerprints = new Uint32Array(size);
    this.mask = size - 1;
  }

  /** True when `key` was offered before (and its slot not taken since); otherwise remembers it. */
  offeredBefore(key: string): boolean {
    // FNV-1a for the slot, a second multiplier for the fingerprint (0 is reserved for an empty slot).
    let slot = 0x811c9dc5;
    let print = 0x9747b28c;
    for (let index = 0; index < key.length; index++) {
      const code = key.charCodeAt(index);
      slot = Math.imul(slot ^ code, 0x01000193);
      print = Math.imul(print ^ code, 0x5bd1e995);
    }
    const at = (slot >>> 0) & this.mask;
    const fingerprint = (print | 1) >>> 0;
    if (this.fingerprints[at] === fingerprint) return true;
    this.fingerprints[at] = fingerprint;
    return false;
  }
}
