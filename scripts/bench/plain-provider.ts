/**
 * The baseline: a plain oidc-provider with its in-memory adapter and the same client, API and
 * token settings as ours. Started as a child process by run.ts; prints its URL when ready.
 * GET /bench/user-tokens mints two user access tokens for userinfo (directly: the plain provider
 * has no login pages), the second DPoP-bound to BENCH_DPOP_JKT. They are minted anew before each
 * run: the in-memory adapter keeps only the last 1,000 records, so a token minted before the
 * client credentials runs would be gone by then.
 */
import { generateKeyPair, exportJWK } from 'jose';
import Provider, { errors } from 'oidc-provider';
import { BENCH_API, BENCH_CLIENT, BENCH_USER } from './fixture.js';

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

async function userToken(jkt?: string): Promise<string> {
  const client = await provider.Client.find(BENCH_CLIENT.client_id);
  const grant = new provider.Grant({ accountId: BENCH_USER.username, clientId: BENCH_CLIENT.client_id });
  grant.addOIDCScope('openid');
  const grantId = await grant.save();
  const token = new provider.AccessToken({ accountId: BENCH_USER.username, client: client!, grantId, scope: 'openid', gty: 'authorization_code' });
  if (jkt) token.setThumbprint('jkt', jkt);
  return token.save();
}

provider.use(async (ctx, next) => {
  if (ctx.path !== '/bench/user-tokens') return next();
  ctx.body = { user: await userToken(), dpopUser: await userToken(process.env.BENCH_DPOP_JKT) };
});
const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
