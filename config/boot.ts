/**
 * What a process starts from: the validated configuration (outside production, with the
 * development secrets of DATA_DIR filled in) and the environment it was read from, which seeds'
 * `client_secret_env` / `password_env` name. The one place outside the loader that reads process.env.
 */
import { withDevelopmentSecrets } from './dev-secrets.js';
import { loadConfig, type Config } from './loader.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Boot {
  config: Config;
  env: Environment;
}

/** @throws ConfigError listing every invalid or missing variable at once. */
export function bootConfig(env: Environment = process.env): Boot {
  const loaded = loadConfig({ ...env });
  return { config: loaded.env === 'production' ? loaded : withDevelopmentSecrets(loaded).config, env };
}
