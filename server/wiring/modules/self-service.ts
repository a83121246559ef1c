/** Sign-up, verification, recovery and account changes (server/modules/self-service). */
import type { Config } from '../../../config/loader.js';
import { randomSecrets } from '../../../adapters/crypto/secret-digester.js';
import type { AuditTrail } from '../../modules/compliance/index.js';
import type { Notifier } from '../../modules/notifications/index.js';
import type { SelfServiceServices } from '../../modules/self-service/index.js';
import { systemClock } from '../../shared/clock.js';
import type { Stores } from '../stores.js';
import type { Auth } from './auth.js';
import { newId } from '../../shared/ids.js';
import type { Outbound } from './delivery.js';
import type { ProviderHolder } from '../provider.js';

export function buildSelfService(deps: {
  config: Config;
  stores: Pick<Stores, 'users' | 'credentials' | 'hasher' | 'flows' | 'devices' | 'digester' | 'artifacts' | 'limiter'>;
  auth: Pick<Auth, 'passwordPolicy' | 'mfa'>;
  audit: AuditTrail;
  notifier: Notifier;
  outbound: Pick<Outbound, 'unitOfWork' | 'tasks'>;
  provider: Pick<ProviderHolder, 'sessionActivity'>;
}): SelfServiceServices {
  const { config, stores, auth } = deps;
  const settings = config.selfService;
  const limiter = (name: string, points: number) => stores.limiter(`selfservice-${name}`, points, settings.windowSeconds);
  return {
    users: stores.users,
    credentials: stores.credentials,
    hasher: stores.hasher,
    policy: auth.passwordPolicy,
    flows: stores.flows,
    unitOfWork: deps.outbound.unitOfWork,
    tasks: deps.outbound.tasks,
    ids: { newId },
    devices: stores.devices,
    digester: stores.digester,
    secrets: randomSecrets,
    notifier: deps.notifier,
    audit: deps.audit,
    clock: systemClock,
    artifacts: stores.artifacts,
    sessionActivity: deps.provider.sessionActivity,
    // A reset is what people do after a compromise: devices trusted to skip MFA are forgotten too.
    trustedDevices: { forgetAll: (userId, facts) => auth.mfa.revokeAllTrustedDevices(userId, facts) },
    settings: { issuer: config.issuer, verificationTtl: settings.verificationTtl, resetTtl: settings.resetTtl },
    limits: {
      messagesPerAddress: limiter('address', settings.messageLimit),
      // SELF_SERVICE_IP_FACTOR addresses' worth per IP: a shared NAT still works; one host cannot mail-bomb many.
      messagesPerIp: limiter('ip', settings.messageLimit * settings.perIpFactor),
      codeAttemptsPerIp: limiter('codes', settings.codeLimit),
    },
  };
}
