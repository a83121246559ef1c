/**
 * `node dist/scripts/bench/ab.js <other-dist-dir> [scenario]`: our provider from this build and
 * from another build (e.g. a copy of dist/ made before a change), loaded alternately with the
 * same scenario, so a change is measured against its own baseline in one run on a noisy machine.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { benchDatabase, fetchToken, launch, load, stop, type Launched } from './harness.js';
import { CLIENT_CREDENTIALS, CLIENT_CREDENTIALS_JWT, DISCOVERY, INTROSPECTION, JWKS } from './scenarios.js';

const [other, name = 'introspection'] = process.argv.slice(2);
if (!other) throw new Error('usage: ab.js <other-dist-dir> [scenario]');
const scenario = [CLIENT_CREDENTIALS, CLIENT_CREDENTIALS_JWT, INTROSPECTION, DISCOVERY, JWKS].find((s) => s.name.startsWith(name))!;
const seconds = Number(process.env.BENCH_DURATION ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const otherScript = join(isAbsolute(other) ? other : resolve(other), 'scripts/bench/our-provider.js');

const databases = [await benchDatabase(process.env.DATABASE_URL), await benchDatabase(process.env.DATABASE_URL)];
const builds: Array<{ label: string; server: Launched }> = [];
try {
  // Launched inside the try: when the second build fails to start, the first is still stopped.
  builds.push({ label: 'this build', server: await launch('our-provider.js', { DATABASE_URL: databases[0]!.url }) });
  builds.push({ label: other, server: await launch(otherScript, { DATABASE_URL: databases[1]!.url }) });
  const results = new Map<string, number[]>();
  for (const { label, server } of builds) {
    const service = (await fetchToken(server.url, 'grant_type=client_credentials')).access_token!;
    await load(server.url, scenario.request({ service }), connections, 2);
    results.set(label, []);
  }
  for (let round = 0; round < rounds; round += 1) {
    for (const { label, server } of round % 2 ? [...builds].reverse() : builds) {
      const service = (await fetchToken(server.url, 'grant_type=client_credentials')).access_token!;
      results.get(label)!.push((await load(server.url, scenario.request({ service }), connections, seconds)).rps);
    }
  }
  for (const [label, values] of results) console.log(`${scenario.name} ${label}: ${values.map((v) => v.toFixed(0)).join(' ')} req/s`);
} finally {
  for (const { server } of builds) await stop(server.child);
  for (const database of databases) await database.drop();
}
