/**
 * The baseline: a plain oidc-provider with its in-memory adapter and the same client, API and
 * token settings as ours. Started as a child process by run.ts; prints its URL when ready.
 */
import { generateKeyPair, exportJWK } from 'jose';
import Provider, { errors } from 'oidc-provider';
import { BENCH_API, BENCH_CLIENT } from './fixture.js';

const port = Number(process.env.PORT ?? 0);
const issuer = `http://127.0.0.1:${port}`;
const keys = [];
for (const alg of ['RS256', 'ES256'] as const) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  keys.push({ ...(await exportJWK(privateKey)), alg, use: 'sig', kid: alg });
}
const provider = new Provider(issuer, {
  clients: [{ ...BENCH_CLIENT, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
  jwks: { keys },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx, _client, oneOf) => oneOf ?? undefined,
      useGrantedResource: async () => true,
      async getResourceServerInfo(_ctx, indicator) {
        if (indicator !== BENCH_API.identifier) throw new errors.InvalidTarget();
        return { audience: indicator, scope: BENCH_API.scope, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  ttl: { ClientCredentials: 600, AccessToken: 3600 },
});
const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
