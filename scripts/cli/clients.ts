/**
 * Client commands. A client created here goes through the seed's validation (our schema, then
 * oidc-provider's own), so it obeys the same security defaults as a declared one: PKCE, exact
 * redirect URIs, no implicit flow. A generated secret is printed once and stored sealed.
 */
import { readFile } from 'node:fs/promises';
import { applySeed, parseSeedDocument } from '../../server/modules/bootstrap/index.js';
import { AppError } from '../../server/shared/errors.js';
import { flag, JSON_OPTION, listOption, printJson, printTable, stringOption, UsageError, type Command, type ParsedArgs } from './command.js';
import { audit, withContainer } from './context.js';

async function definitionFrom(args: ParsedArgs): Promise<Record<string, unknown>> {
  const file = stringOption(args, 'file');
  if (file) {
    if (args.positionals.length) throw new UsageError('give either <client_id> with options or --file, not both');
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new AppError('invalid_input', `cannot read ${file}: ${error instanceof SyntaxError ? 'not valid JSON' : (error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const clientId = args.positionals[0];
  if (!clientId) throw new UsageError('a <client_id> (or --file) is required');
  const grants = listOption(args, 'grant-type');
  const name = stringOption(args, 'name');
  const scope = stringOption(args, 'scope');
  const backchannel = stringOption(args, 'backchannel-logout-uri');
  return {
    client_id: clientId,
    ...(name ? { client_name: name } : {}),
    ...(flag(args, 'public') ? { token_endpoint_auth_method: 'none' } : {}),
    redirect_uris: listOption(args, 'redirect-uri'),
    post_logout_redirect_uris: listOption(args, 'post-logout-redirect-uri'),
    web_origins: listOption(args, 'web-origin'),
    ...(grants.length ? { grant_types: grants } : {}),
    ...(scope ? { scope } : {}),
    ...(flag(args, 'first-party') ? { first_party: true } : {}),
    ...(backchannel ? { backchannel_logout_uri: backchannel } : {}),
    ...(flag(args, 'backchannel-logout-session-required') ? { backchannel_logout_session_required: true } : {}),
    ...(flag(args, 'require-par') ? { require_pushed_authorization_requests: true } : {}),
    ...(flag(args, 'dpop') ? { dpop_bound_access_tokens: true } : {}),
  };
}

const createCommand: Command = {
  name: 'clients create',
  summary: 'register a client; a confidential one gets a generated secret, printed once',
  usage: '<client_id> --redirect-uri URI... [options] | --file DEFINITION.json',
  details: [
    '  --redirect-uri URI              exact redirect URI (repeatable)',
    '  --post-logout-redirect-uri URI  (repeatable)',
    '  --web-origin ORIGIN             extra browser origin for CORS (repeatable)',
    '  --grant-type TYPE               authorization_code | refresh_token | client_credentials | the device',
    '                                  code or token-exchange grant URI (repeatable;',
    '                                  default authorization_code and refresh_token)',
    '  --scope "a b"                   scopes the client may request',
    '  --name NAME                     display name shown on consent',
    '  --public                        a public client (token_endpoint_auth_method none, e.g. an SPA)',
    '  --first-party                   skip the consent page',
    '  --backchannel-logout-uri URI    where logout tokens are POSTed when a session ends',
    '  --backchannel-logout-session-required  logout tokens must name the session (sid)',
    '  --require-par                   authorization requests must be pushed first (RFC 9126)',
    '  --dpop                          access tokens must be DPoP-bound (RFC 9449)',
    '  --file FILE                     a full client definition as in SEED_FILE (e.g. with resource_scopes,',
    '                                  jwks, fapi_profile: docs/high-security-clients.md)',
    'Refuses a client_id that exists already.',
  ].join('\n'),
  options: {
    'redirect-uri': { type: 'string', multiple: true },
    'post-logout-redirect-uri': { type: 'string', multiple: true },
    'web-origin': { type: 'string', multiple: true },
    'grant-type': { type: 'string', multiple: true },
    scope: { type: 'string' },
    name: { type: 'string' },
    public: { type: 'boolean' },
    'first-party': { type: 'boolean' },
    'backchannel-logout-uri': { type: 'string' },
    'backchannel-logout-session-required': { type: 'boolean' },
    'require-par': { type: 'boolean' },
    dpop: { type: 'boolean' },
    file: { type: 'string' },
  },
  positionals: { min: 0, max: 1 },
  async run(args) {
    const definition = await definitionFrom(args);
    const document = parseSeedDocument({ clients: [definition] }, 'clients create');
    await withContainer(async (container) => {
      const clientId = document.clients[0]!.client_id;
      if (await container.seedDeps.clients.find(clientId)) throw new AppError('conflict', `a client ${JSON.stringify(clientId)} exists already`);
      const report = await applySeed(container.seedDeps, document, 'clients create', 'cli');
      const created = report.clients[0]!;
      await audit(container, 'admin.client.created', { type: 'client', id: created.clientId }, { source: 'cli' });
      console.log(`Created client ${created.clientId}.`);
      if (created.generatedSecret) {
        console.log('Client secret (shown once; stored encrypted):');
        console.log(created.generatedSecret);
      }
    });
  },
};

const listCommand: Command = {
  name: 'clients list',
  summary: 'list clients (never their secrets)',
  usage: '[--json]',
  options: JSON_OPTION,
  run: (args) =>
    withContainer(async (container) => {
      const clients = await container.seedDeps.clients.list();
      if (flag(args, 'json')) {
        printJson(clients.map((c) => ({ client_id: c.clientId, source: c.source, has_secret: c.hasSecret, ...c.metadata })));
        return;
      }
      const list = (value: unknown) => (Array.isArray(value) && value.length ? value.join(',') : '-');
      printTable(
        ['CLIENT_ID', 'SOURCE', 'AUTH', 'GRANTS', 'REDIRECT_URIS'],
        clients.map((c) => [c.clientId, c.source, String(c.metadata.token_endpoint_auth_method ?? 'client_secret_basic'), list(c.metadata.grant_types), list(c.metadata.redirect_uris)]),
      );
    }),
};

export const clientsCommands: Command[] = [createCommand, listCommand];
