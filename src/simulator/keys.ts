/**
 * The simulator's signing keys and the fixed DEMO key.
 *
 * DEMO ONLY: the private key below is published on purpose, in this repository, so the README's
 * demo tokens (grants.ts) are valid JWTs on every machine and every port. It signs nothing but
 * simulator tokens; a subgraph pointed at real CXone never trusts it (it reads CXone's own JWKS).
 * Keys made by `rotate()` and `stage()` are fresh per simulator and never leave the process.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** The `iss` of every CXone token the simulator signs, and the `issuer` of its discovery document. */
export const SIMULATOR_ISSUER = 'https://cxone-simulator.invalid';

/** DEMO ONLY (see above): RS256 private key, JWK form. */
export const DEMO_SIGNING_KEY: Readonly<JWK> = Object.freeze({
  kty: 'RSA',
  kid: 'sim-demo-key-2026',
  alg: 'RS256',
  use: 'sig',
  n: 'xfiDRZZ-uCqJlDfSVsQo3DnOR5mAHZgGz9-dcjuivztJn5jzjGv79lqwlaWQUj1vymJunvHx3EOI4AEuQafEddmFdbebzajImVi2RndLsLQ1fGlKsrPMEIKgUuG8XqFET1_q30rv0oe1vxiJjVCxYXc1d3TSJLYWOaIkGq6OX_nICc9oXMcJRG8eD0z6VYVhcg7I3gSj51Br-jrGeyWw0e7jSsfrKVW4UM09r_ophTpi7YyHLlEFZMSn4vJUhr1M24LhRnskZmg_WULIJ4-_2lWOjHKrHMyrEkDhVVVbdQGAM8q2s3zuxhKz1_HF9VULoh8hdWEeZ04JRdauokqAhQ',
  e: 'AQAB',
  d: 'CBHFzV5XB_a5PjtlmCJ4GpHt9ekshF2gBB_J8SVmetkAepWSHSqBo1xgT5k8tWgfrbuEECKDM0aQG7awm1MqpOBwRN4ZEbGhi5lGxL80F0h2gv21DRewZ7Pgs8ApHMpXWHeWa_JIAugui6gvuHzjiLotNGikmtkj4BwweziblmSA8KK10YBfZ-dKZKmGrCH86bg6-BAM9LkV567W1uQD9XyUxOfq7D5Ql1QQ-OdHgmz6CMx15d0uCOm1Qu_u1a8Re29V6ua1GdvzrAXi73F4MHuWgD8Mq34xex-9Yd4H6ber9TJd1JhRVfszTjDIZbbygFpU6mzaZ1-sSDvgeRRgwQ',
  p: '-K-bAUDd5Te37NprwTznaOW10L3er5h9AxhJY7UyUPSLPFhRWfctMRduwlqZ71pu5GXKBOy1j0Y_UePcH6eEpU_Q_qWNnJ5YQMzeVlsePnZYBVSV0TJcnWFtqvAUbTppXec55sI3Vf4bBNzxyeSQm7QJtKx7QimewDm-FpLj5l0',
  q: 'y8sQlPXhAQMxgnoUE_IoMElpMdo4gxZ48p2jlXZkT69Wh9GfaHvUoH5_OkQqdSoLqGYLFTte57QblZE2XTjdoTyF3U2fI62jv69RUGKrbGA-CF8iFQY10mdtpUd5XWsgDierzWwttZDoi-Z7vl2frkm_T1LayscZ0eeZxaYIEEk',
  dp: 'uhoQEXwNkj-EMIe0I8QEGQfua-vq_dVLmElQgoFSyip3GA2vs3e6Jga3KFLM58XxPpK9_7l0lWeocwvl6vpd1ahJaodR1mbY_IVTzaQamfvOGw8VnpvlmxESFN3dK3CO8WrcdcfZyUyDw7vkZYXagerVaJO7GeQznP6ZNiNu0TE',
  dq: 'CDJmvFcXcb77ItBeNl8rFqYdQRAR7dPdkYSdq8lTR5E53cSksMMqTjpIS8OqIYRLa76O-4-jxZYM9fsdQKqk33Nbvwb8O6ckSvV2Q9F0K6vDUvrgmA_j4k6ermMtkoBYjbkyw9RyEjd94wKmP4XsgkodE8e1XSqc80BpgvWmpWE',
  qi: 'Y4i03lntfiwwIph-sZHUoCyE3TiAoOkbYKonptLB9UYSvsTx6sR6sg8CyK-ZWFM1x0_S0S4e30rYw5v98Ohr0SJ0ccUh2RXz4fISlZnwP-YS-AxEKbHO3MaCNtTuJqKyfQO-KmSBK78BHxzlIWo15brwe1iX8vRdoulkQvTgRNw',
});

/** The JWK members that are private (RSA and EC): never published, never logged. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** A JWK without its private members. */
function publicJwk(jwk: Readonly<JWK>): JWK {
  const hidden: ReadonlySet<string> = new Set(PRIVATE_MEMBERS);
  return Object.fromEntries(Object.entries(jwk).filter(([member]) => !hidden.has(member))) as JWK;
}

interface SigningKey {
  readonly kid: string;
  readonly jwk: Readonly<JWK>;
  key: CryptoKey | null;
}

/**
 * One issuer's keys: the published set (served as its JWKS), the current signing key, and at most
 * one staged key (made, able to sign, not yet published), which is how real issuers rotate: a test
 * signs with the staged key to present an unknown `kid`, then `rotate()` publishes it.
 */
export class KeyRing {
  private readonly published: SigningKey[] = [];
  private current: SigningKey | null = null;
  private staged: SigningKey | null = null;
  private creating: Promise<SigningKey> | null = null;
  private serial = 0;

  /** `initial`: a fixed private JWK with a `kid` (the demo key); without one a key is made on first use. */
  constructor(
    private readonly kidPrefix: string,
    initial?: Readonly<JWK>,
  ) {
    if (initial !== undefined) {
      const key: SigningKey = { kid: initial.kid ?? `${kidPrefix}-0`, jwk: initial, key: null };
      this.published.push(key);
      this.current = key;
    }
  }

  /** The published public keys (`GET .../jwks.json`). */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.currentKey();
    return { keys: this.published.map((entry) => publicJwk(entry.jwk)) };
  }

  /** Signs `claims` as an RS256 JWT with the current key, or the staged (unpublished) one. */
  async sign(claims: JWTPayload, which: 'current' | 'staged' = 'current', header: { readonly kid?: boolean } = {}): Promise<string> {
    const entry = which === 'current' ? await this.currentKey() : await this.stagedKey();
    entry.key ??= (await importJWK({ ...entry.jwk }, 'RS256')) as CryptoKey;
    const kid = header.kid ?? true;
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid ? { kid: entry.kid } : {}) }).sign(entry.key);
  }

  /** Publishes the staged key (making one if none) and signs with it from now on; older keys stay published. */
  async rotate(): Promise<string> {
    const next = await this.stagedKey();
    this.staged = null;
    this.published.push(next);
    this.current = next;
    return next.kid;
  }

  private async currentKey(): Promise<SigningKey> {
    if (this.current !== null) return this.current;
    const made = await this.make();
    if (this.current === null) {
      this.published.push(made);
      this.current = made;
    }
    return this.current;
  }

  private async stagedKey(): Promise<SigningKey> {
    await this.currentKey();
    this.staged ??= await this.make();
    return this.staged;
  }

  /** One key generation at a time (they cost tens of milliseconds of CPU). */
  private make(): Promise<SigningKey> {
    this.creating ??= (async () => {
      try {
        this.serial += 1;
        const kid = `${this.kidPrefix}-${String(this.serial)}-${randomUUID().slice(0, 8)}`;
        const { privateKey } = await generateKeyPair('RS256', { extractable: true });
        const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
        return { kid, jwk, key: privateKey };
      } finally {
        this.creating = null;
      }
    })();
    return this.creating;
  }
}

/** The claims of the demo tokens: long-lived (2024 to 2100), for the demo users, on the simulator's tenant. */
function demoClaims(subject: string): JWTPayload {
  return { iss: SIMULATOR_ISSUER, sub: subject, tenantId: 'sim-tenant-0001', name: `Demo ${subject.replace(/^user:demo-/, '')}`, iat: 1_704_067_200, exp: 4_102_444_800 };
}

/**
 * Signs the demo tokens afresh with the DEMO key. RS256 (PKCS#1 v1.5) is deterministic, so this
 * reproduces DEMO_TOKENS exactly (a test holds them to it); `npm run demo-tokens -- --sign` prints it.
 */
export async function signDemoTokens(subjects: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const ring = new KeyRing('demo', DEMO_SIGNING_KEY);
  const signed: Record<string, string> = {};
  for (const [name, subject] of Object.entries(subjects)) signed[name] = await ring.sign(demoClaims(subject));
  return signed;
}
