/** Opens Redis with bounded retries so a Redis outage fails requests fast instead of hanging them. */
import { Redis } from 'ioredis';

export function openRedis(url: string): Redis {
  return new Redis(url, {
    // Fail a command after 2 reconnect attempts rather than queueing it indefinitely.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    connectionName: 'oidc-server',
  });
}
