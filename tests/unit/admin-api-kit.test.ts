/**
 * The admin API's building blocks: If-Match parsing (428/412), opaque cursors, bearer header
 * parsing, public key extraction, and the OpenAPI document built from operations.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearerToken } from '../../server/http/middleware/bearer-token.js';
import { publicJwks } from '../../adapters/crypto/access-token-verifier.js';
import { buildDocument } from '../../server/http/routes/admin/kit/openapi.js';
import { operation, type AdminResource } from '../../server/http/routes/admin/kit/operation.js';
import { etagOf, versionsFromIfMatch } from '../../server/http/routes/admin/kit/preconditions.js';
import { decodeCursor, encodeCursor, toPage } from '../../server/shared/pagination.js';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'none';
};

describe('If-Match', () => {
  it('names versions by strong tags only', () => {
    expect(versionsFromIfMatch(etagOf(3))).toEqual([3]);
    expect(versionsFromIfMatch('"v3", "v4"')).toEqual([3, 4]);
    expect(codeOf(() => versionsFromIfMatch(undefined))).toBe('precondition_required');
    expect(codeOf(() => versionsFromIfMatch('*'))).toBe('precondition_required');
    expect(codeOf(() => versionsFromIfMatch('W/"v3"'))).toBe('precondition_failed');
    expect(codeOf(() => versionsFromIfMatch('"v0"'))).toBe('precondition_failed');
    expect(codeOf(() => versionsFromIfMatch('"v99999999999999999"'))).toBe('precondition_failed');
  });
});

describe('cursors', () => {
  it('round-trip and refuse what this server did not make', () => {
    expect(decodeCursor(encodeCursor('alice'))).toBe('alice');
    expect(decodeCursor(undefined)).toBeUndefined();
    for (const bad of ['%%%', Buffer.from('{"k":1}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      expect(codeOf(() => decodeCursor(bad))).toBe('invalid_input');
    }
  });
  it('pages: the extra row only says a next page exists', () => {
    expect(toPage([1, 2, 3], 2, String)).toEqual({ items: [1, 2], nextKey: '2' });
    expect(toPage([1, 2], 2, String)).toEqual({ items: [1, 2] });
  });
});

describe('bearer tokens', () => {
  it('reads only the Bearer scheme (RFC 6750 §2.1)', () => {
    expect(bearerToken('Bearer abc.def-ghi_~+/=')).toBe('abc.def-ghi_~+/=');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
  it('keeps only public key members', () => {
    expect(publicJwks([{ kty: 'RSA', kid: 'k', n: 'n', e: 'AQAB', d: 'x', p: 'p', q: 'q', dp: 'a', dq: 'b', qi: 'c' }])).toEqual({ keys: [{ kty: 'RSA', kid: 'k', n: 'n', e: 'AQAB' }] });
  });
});

describe('the OpenAPI document', () => {
  const resource = (path: string): AdminResource => ({
    tag: { name: 'things', description: 'Things' },
    schemas: {},
    operations: [
      operation({
        method: 'patch',
        path,
        operationId: `patch${path}`,
        summary: 'Change a thing',
        scope: 'admin:write',
        params: z.object({ thingId: z.string() }),
        body: z.object({ name: z.string() }).strict(),
        ifMatch: true,
        responses: { 204: { description: 'Changed' } },
        problems: [404],
        handle: async () => ({ status: 204 }),
      }),
    ],
  });
  const options = { issuer: 'https://idp.example', audience: 'https://idp.example/admin/v1', scopes: { 'admin:write': 'w' } };

  it('adds the problem responses, If-Match header and scope from the declaration', () => {
    const doc = buildDocument([resource('/things/{thingId}')], options) as { paths: Record<string, { patch: Record<string, unknown> }> };
    const op = doc.paths['/things/{thingId}']!.patch;
    expect(Object.keys(op.responses as object).sort()).toEqual(['204', '400', '401', '403', '404', '412', '428']);
    expect(op.security).toEqual([{ oauth2: ['admin:write'] }]);
    expect(op.parameters).toEqual([
      { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } },
      expect.objectContaining({ name: 'If-Match', in: 'header', required: true }),
    ]);
  });

  it('refuses an operation or schema declared twice', () => {
    expect(() => buildDocument([resource('/a'), resource('/a')], options)).toThrow(/declared twice/);
  });
});
