/**
 * docker-compose.yml without Docker: the file is parsed, its `migrate` service's command and its
 * `provider` service are run under plain node with exactly the environment the file gives them
 * (and the image's own ENV from the Dockerfile), only the service addresses substituted: the
 * machine's Postgres (a fresh database, as on a fresh volume) and Redis, and a loopback SMTP
 * server for Mailpit. The provider must reach /readyz.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../../config/paths.js';
import { settingNames } from '../../../config/schema.js';
import { buildOnce, run } from '../../helpers/cli.js';
import { key32 } from '../../helpers/production-env.js';
import { freePort } from '../../helpers/provider.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { startSmtp, type TestSmtp } from '../../helpers/smtp.js';
import { adminQuery, describeWith, postgresUrl, redisUrl } from '../../helpers/stores.js';

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
}
const compose = parse(readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

/** The ENV lines of the Dockerfile's runtime stage: what the image adds to a service's environment. */
function imageEnv(): Record<string, string> {
  const runtime = readFileSync(join(projectRoot, 'Dockerfile'), 'utf8').split(/^FROM .* AS runtime$/m)[1]!;
  const env: Record<string, string> = {};
  for (const block of runtime.match(/^ENV (?:.*\\\n)*.*$/gm) ?? []) {
    // A value is one word or a double-quoted string (NODE_OPTIONS="--a --b"), given without the quotes.
    for (const [, name, quoted, word] of block.matchAll(/([A-Z_]+)=(?:"([^"]*)"|(\S+))/g)) env[name!] = quoted ?? word!;
  }
  return env;
}

/** Compose's ${VAR}, ${VAR:-default} and ${VAR:?message} against the operator's .env. */
function interpolate(text: string, dotenv: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_all, name: string, kind?: string, rest?: string) => {
    const value = dotenv[name];
    if (value) return value;
    if (kind === '?') throw new Error(`compose would stop: ${rest}`);
    return kind === '-' ? rest! : '';
  });
}

const dotenv = { COOKIE_KEYS: key32(), KEY_ENCRYPTION_KEY: key32() };
const name = `oidc_compose_${randomBytes(6).toString('hex')}`;
let smtp: TestSmtp;
let provider: ServerProcess | undefined;

/** A service's environment as compose gives it, the addresses of the services moved to this machine. */
function environmentOf(service: Service, port: number): Record<string, string> {
  const database = new URL(postgresUrl!);
  const redis = new URL(redisUrl!);
  const mail = new URL(smtp.url);
  const env: Record<string, string> = { ...imageEnv() };
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    env[key] = interpolate(String(value), dotenv)
      .replace(/^(postgres:\/\/)[^@]*@postgres:5432\/oidc$/, `postgres://${database.username}@${database.host}/${name}`)
      .replace('redis://redis:6379', `redis://${redis.host}`)
      .replace('smtp://mailpit:1025', `smtp://${mail.host}`);
  }
  return { ...env, PORT: String(port) };
}

describeWith('postgres', 'redis')('docker-compose.yml', () => {
  beforeAll(async () => {
    await buildOnce();
    smtp = await startSmtp();
    await adminQuery(`CREATE DATABASE ${name}`);
  }, 400_000);
  afterAll(async () => {
    await provider?.stop();
    await smtp?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('declares the stack: Postgres, Redis, Mailpit, a migration the provider waits for', () => {
    expect(Object.keys(services).sort()).toEqual(['mailpit', 'migrate', 'postgres', 'provider', 'redis']);
    expect(services.provider!.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' }, postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(services.migrate!.command).toEqual(['node', 'dist/scripts/cli.js', 'migrate']);
    for (const service of [services.provider!, services.migrate!]) {
      for (const variable of Object.keys(service.environment ?? {})) expect(settingNames.has(variable), variable).toBe(true);
    }
    // Compose stops without the secrets, naming them, rather than start with made-up ones.
    expect(() => interpolate(services.provider!.environment!.COOKIE_KEYS!, {})).toThrow(/set COOKIE_KEYS/);
    // SIGTERM drains for SHUTDOWN_GRACE; compose waits longer before SIGKILL.
    expect(Number.parseInt(services.provider!.stop_grace_period!, 10)).toBeGreaterThan(Number(services.provider!.environment!.SHUTDOWN_GRACE));
  });

  it('on a fresh database: the migrate command succeeds, then the provider becomes ready with email on', async () => {
    const port = await freePort();
    const migrate = services.migrate!;
    const migrated = await run(migrate.command!.slice(1), environmentOf(migrate, port), { timeoutMs: 240_000 });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/applied|migrat/i);

    const env = environmentOf(services.provider!, port);
    provider = startServerProcess(env, port);
    expect(await provider.ready(240_000), provider.output()).toBe('ready');
    const health = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(health.status).toBe(200);
    const discovery = (await (await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`, { headers: { 'x-forwarded-proto': 'https' } })).json()) as { issuer: string };
    expect(discovery.issuer).toBe('https://localhost:3000');
    // The email channel is Mailpit's stand-in, so password recovery is on.
    expect((await fetch(`http://127.0.0.1:${port}/account/recover`)).status).toBe(200);
    expect(await provider.stop()).toBe(0);
    provider = undefined;
  }, 400_000);
});
