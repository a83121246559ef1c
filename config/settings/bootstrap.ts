/** What is created at start: seed file, demo clients, the first admin. */
import { z } from 'zod';
import { bool } from './kinds.js';
import { optional, setting } from './setting.js';

export const bootstrap = z.object({
  SEED_FILE: optional(z.string().min(1), 'JSON file of clients, APIs and users applied idempotently at every start (config as code).'),
  DEMO_CLIENTS: optional(bool, 'Create the demo confidential and SPA clients. Defaults to true in development; refused in production.'),
  BOOTSTRAP_ADMIN: setting(bool, 'true', 'On first start with no users, create an `admin` account and print its one-time password.'),
});
