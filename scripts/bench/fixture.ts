/** The client and API both benchmarked providers are configured with, so the comparison is like for like. */
export const BENCH_CLIENT = {
  client_id: 'bench-service',
  client_secret: 'bench-service-secret-with-enough-entropy-0123456789',
};
export const BENCH_WEB_CLIENT = {
  client_id: 'bench-web',
  client_secret: 'bench-web-secret-with-enough-entropy-0123456789abc',
  redirect_uri: 'http://127.0.0.1:1/cb',
};
export const BENCH_API = { identifier: 'https://api.bench.example', scope: 'bench:read bench:write' };
export const BENCH_USER = { username: 'bench-user', password: 'bench user password long enough' };

export function benchSeed() {
  return {
    apis: [{ identifier: BENCH_API.identifier, name: 'Bench API', scopes: BENCH_API.scope.split(' ').map((value) => ({ value, description: value })) }],
    clients: [
      { ...BENCH_CLIENT, grant_types: ['client_credentials'], redirect_uris: [], resource_scopes: { [BENCH_API.identifier]: BENCH_API.scope.split(' ') } },
      {
        client_id: BENCH_WEB_CLIENT.client_id,
        client_secret: BENCH_WEB_CLIENT.client_secret,
        redirect_uris: [BENCH_WEB_CLIENT.redirect_uri],
        grant_types: ['authorization_code', 'refresh_token'],
        scope: 'openid profile email offline_access',
      },
    ],
    users: [{ username: BENCH_USER.username, password: BENCH_USER.password }],
  };
}
