/** The kinds of value settings take, each with a message saying what is expected. */
import { z } from 'zod';

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const seconds = z.coerce.number({ error: 'must be a number of seconds' }).int().positive();
export const positiveInt = z.coerce.number({ error: 'must be a whole number' }).int().positive();

export const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

/** A comma-separated list, items trimmed, empty items dropped. */
export const list = z.string().transform((v) => v.split(',').map((item) => item.trim()).filter(Boolean));
