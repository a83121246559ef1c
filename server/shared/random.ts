/** Randomness as a port: use cases receive it (like the Clock) so tests can pin it; adapters/crypto/random.ts implements it. */
export interface Random {
  /** `length` cryptographically random bytes. */
  bytes(length: number): Uint8Array;
  /** A random (version 4) UUID. */
  uuid(): string;
}
