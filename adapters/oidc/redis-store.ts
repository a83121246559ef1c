/**
 * oidc-provider storage in Redis for short-lived models. One hash per record (payload, consumed,
 * and the names of its lookup keys), expiring with the record. Lookup keys (session uid, user
 * code) are deleted only while they still point at the record. The grant index is a sorted set
 * scored by member expiry, so revokeByGrantId is one atomic script and the index never outlives
 * its members. Every multi-key change is a Lua script: atomic, and correct with many processes.
 */
import type { Redis } from 'ioredis';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { alreadyConsumed, GRANT_BOUND_MODELS } from './models.js';
import type { ReuseHandler } from './sql-store.js';

// Shared by the scripts that change a grant index. Time is Redis's own (TIME), never the
// caller's: records expire by Redis's clock, so scores and the index expiry must use it too, or a
// caller whose clock is off drops live members from the index (ZREMRANGEBYSCORE) or lets the
// index expire before them, and revokeByGrantId then misses live tokens.
const GRANT_INDEX_LIB = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function ms(n) return string.format('%.0f', n) end
-- Drops expired members and makes the index expire with its longest-lived member.
local function retime(grantKey, now)
  redis.call('ZREMRANGEBYSCORE', grantKey, '-inf', '(' .. ms(now))
  local last = redis.call('ZRANGE', grantKey, -1, -1, 'WITHSCORES')
  if not last[2] then return end -- no members left: Redis has deleted the key
  if last[2] == 'inf' then redis.call('PERSIST', grantKey)
  else redis.call('PEXPIREAT', grantKey, last[2]) end
end
`;

// KEYS: record, grantIndex|'', uidKey|'', userCodeKey|''
// ARGV: payload, ttlMs (0 = no expiry; otherwise a positive integer), id
const UPSERT = `${GRANT_INDEX_LIB}
local key, grantKey, uidKey, codeKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ttl, id = tonumber(ARGV[2]), ARGV[3]
local now = nowMs()
local old = redis.call('HMGET', key, 'uidKey', 'codeKey', 'grantKey')
if old[1] and old[1] ~= uidKey and redis.call('GET', old[1]) == id then redis.call('DEL', old[1]) end
if old[2] and old[2] ~= codeKey and redis.call('GET', old[2]) == id then redis.call('DEL', old[2]) end
if old[3] and old[3] ~= grantKey then
  redis.call('ZREM', old[3], key)
  retime(old[3], now)
end
redis.call('HSET', key, 'payload', ARGV[1])
-- A new record (every token) has no old lookup fields to clear.
if old[1] or old[2] or old[3] then redis.call('HDEL', key, 'uidKey', 'codeKey', 'grantKey') end
if ttl > 0 then redis.call('PEXPIRE', key, ttl) else redis.call('PERSIST', key) end
local function lookup(lk, field)
  if lk == '' then return end
  redis.call('HSET', key, field, lk)
  if ttl > 0 then redis.call('SET', lk, id, 'PX', ttl) else redis.call('SET', lk, id) end
end
lookup(uidKey, 'uidKey')
lookup(codeKey, 'codeKey')
if grantKey ~= '' then
  redis.call('HSET', key, 'grantKey', grantKey)
  if ttl > 0 then redis.call('ZADD', grantKey, ms(now + ttl), key) else redis.call('ZADD', grantKey, 'inf', key) end
  retime(grantKey, now)
end
return 1
`;

// KEYS: record. ARGV: nowSeconds. 0 = no record, 1 = consumed now, -1 = already consumed.
const CONSUME = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 1 then return 1 end
return -1
`;

// KEYS: record. ARGV: id. Deletes the record, its lookups (if still ours) and its index entry,
// and lets the index expire with its remaining members.
const DESTROY = `${GRANT_INDEX_LIB}
local f = redis.call('HMGET', KEYS[1], 'uidKey', 'codeKey', 'grantKey')
if f[1] and redis.call('GET', f[1]) == ARGV[1] then redis.call('DEL', f[1]) end
if f[2] and redis.call('GET', f[2]) == ARGV[1] then redis.call('DEL', f[2]) end
if f[3] then
  redis.call('ZREM', f[3], KEYS[1])
  retime(f[3], nowMs())
end
return redis.call('DEL', KEYS[1])
`;

// KEYS: grantIndex. Deletes every member record and its lookups, then the index.
const REVOKE_GRANT = `
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, key in ipairs(members) do
  local f = redis.call('HMGET', key, 'uidKey', 'codeKey')
  local id = string.match(key, ':([^:]*)$')
  if f[1] and redis.call('GET', f[1]) == id then redis.call('DEL', f[1]) end
  if f[2] and redis.call('GET', f[2]) == id then redis.call('DEL', f[2]) end
  redis.call('DEL', key)
end
redis.call('DEL', KEYS[1])
return #members
`;

interface ScriptedRedis extends Redis {
  oidcUpsert(k1: string, k2: string, k3: string, k4: string, ...argv: string[]): Promise<number>;
  oidcConsume(key: string, now: string): Promise<number>;
  oidcDestroy(key: string, id: string): Promise<number>;
  oidcRevokeGrant(key: string): Promise<number>;
}

/** Registers the scripts once per connection; ioredis sends EVALSHA and falls back to EVAL. */
export function withOidcScripts(redis: Redis): ScriptedRedis {
  const scripted = redis as ScriptedRedis;
  if (typeof scripted.oidcUpsert !== 'function') {
    redis.defineCommand('oidcUpsert', { numberOfKeys: 4, lua: UPSERT });
    redis.defineCommand('oidcConsume', { numberOfKeys: 1, lua: CONSUME });
    redis.defineCommand('oidcDestroy', { numberOfKeys: 1, lua: DESTROY });
    redis.defineCommand('oidcRevokeGrant', { numberOfKeys: 1, lua: REVOKE_GRANT });
  }
  return scripted;
}

export class RedisStore implements Adapter {
  private readonly redis: ScriptedRedis;

  /** @param prefix namespace of every key, so deployments (and test runs) can share a Redis. */
  constructor(
    redis: Redis,
    private readonly model: string,
    private readonly prefix: string,
    private readonly onReuse: ReuseHandler = async () => undefined,
  ) {
    this.redis = withOidcScripts(redis);
  }

  // Ids are nanoids and never contain ':'; REVOKE_GRANT relies on the id being the last segment.
  private key(id: string) {
    return `${this.prefix}${this.model}:${id}`;
  }
  private grantKey(grantId: string) {
    return `${this.prefix}grant:${grantId}`;
  }
  private uidKey(uid: string) {
    return `${this.prefix}${this.model}:uid:${uid}`;
  }
  private userCodeKey(userCode: string) {
    return `${this.prefix}${this.model}:userCode:${userCode}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const { consumed: _ignored, ...stored } = payload;
    // Whole milliseconds (PEXPIRE rejects fractions), and at least 1: an expiresIn of 0 or less
    // means "already expired", which must not turn into 0 = "never expires".
    const ttlMs = typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? Math.max(1, Math.ceil(expiresIn * 1000)) : 0;
    const grantKey = GRANT_BOUND_MODELS.has(this.model) && payload.grantId ? this.grantKey(payload.grantId) : '';
    await this.redis.oidcUpsert(
      this.key(id),
      grantKey,
      payload.uid ? this.uidKey(payload.uid) : '',
      payload.userCode ? this.userCodeKey(payload.userCode) : '',
      JSON.stringify(stored),
      String(ttlMs),
      id,
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const [payload, consumed] = await this.redis.hmget(this.key(id), 'payload', 'consumed');
    if (!payload) return undefined;
    const parsed = JSON.parse(payload) as AdapterPayload;
    if (consumed) parsed.consumed = Number(consumed);
    return parsed;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = await this.redis.get(this.uidKey(uid));
    return id ? this.find(id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = await this.redis.get(this.userCodeKey(userCode));
    return id ? this.find(id) : undefined;
  }

  /** @throws as SqlStore.consume: only the call that consumed the record succeeds; a concurrent reuse revokes the grant. */
  async consume(id: string): Promise<void> {
    const result = await this.redis.oidcConsume(this.key(id), String(Math.floor(Date.now() / 1000)));
    if (result === 1) return;
    if (result === -1) {
      const payload = await this.redis.hget(this.key(id), 'payload');
      const grantId = payload ? (JSON.parse(payload) as AdapterPayload).grantId : undefined;
      if (grantId) await this.onReuse(grantId);
    }
    throw alreadyConsumed(this.model);
  }

  async destroy(id: string): Promise<void> {
    await this.redis.oidcDestroy(this.key(id), id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    if (!GRANT_BOUND_MODELS.has(this.model)) return;
    await this.redis.oidcRevokeGrant(this.grantKey(grantId));
  }
}
