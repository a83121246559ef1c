/**
 * The InitialAccessToken model, backed by configuration (CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS)
 * rather than storage: `find` answers for a presented token that equals one of the configured
 * values. Both sides are hashed to equal-length SHA-256 digests and every configured value is
 * compared, with no early exit, so timing reveals neither a matching prefix, a length, nor
 * which token matched. The record carries only its position in the list, never the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export class ConfiguredInitialAccessTokens implements Adapter {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(digest);
  }

  async find(value: string): Promise<AdapterPayload | undefined> {
    const presented = digest(value);
    let match = -1;
    for (const [index, expected] of this.digests.entries()) {
      if (timingSafeEqual(presented, expected)) match = index;
    }
    if (match < 0) return undefined;
    return { jti: `configured-${match}`, kind: 'InitialAccessToken', iat: Math.floor(Date.now() / 1000) } as AdapterPayload;
  }

  /** Tokens are configured, never issued at runtime. */
  async upsert(): Promise<void> {
    throw new Error('initial access tokens come from CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS and are not stored');
  }

  /** A configured token stays valid after use (it registers any number of clients) until removed from the configuration. */
  async destroy(): Promise<void> {}
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}
