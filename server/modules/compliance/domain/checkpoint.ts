/**
 * A retention checkpoint: the sequence and hash of the last record dropped by retention, signed
 * so that verification can resume from it. Without it, dropping the head of the chain would be
 * indistinguishable from an attacker deleting it.
 */

export interface Checkpoint {
  /** The last dropped record: the first kept record's prevHash must equal `hash`. */
  seq: number;
  hash: string;
  /** Records that happened before this instant were eligible for dropping. */
  cutoff: Date;
  createdAt: Date;
  signature: string;
}

/** The bytes the signature covers. */
export function checkpointPayload(checkpoint: Omit<Checkpoint, 'signature'>): string {
  return JSON.stringify(['audit-checkpoint-v1', checkpoint.seq, checkpoint.hash, checkpoint.cutoff.toISOString(), checkpoint.createdAt.toISOString()]);
}
