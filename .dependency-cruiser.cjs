/**
 * The dependency rule of ../shared/ARCHITECTURE.md, enforced by `npm run lint` (part of `npm test`).
 * Dependencies point inward; only the composition root (server/wiring, run by start/main) sees
 * everything and imports adapters; only the provider module, the
 * interaction gateway and the storage adapters import oidc-provider.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports only server/shared (and other domain files of its module).',
      severity: 'error',
      from: { path: '^server/modules/([^/]+)/domain/' },
      to: { pathNot: ['^server/shared/', '^server/modules/$1/domain/', '^node_modules/zod/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'domain-no-io',
      comment: 'Domain code never reads the environment, clock or network through Node built-ins.',
      severity: 'error',
      from: { path: '^server/modules/[^/]+/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'use-cases-boundaries',
      comment: 'use-cases import their own domain and ports, other modules through index.ts, and shared.',
      severity: 'error',
      from: { path: '^server/modules/([^/]+)/use-cases/' },
      to: {
        path: '^(server|adapters|interactions|account|console|config)/',
        pathNot: [
          '^server/shared/',
          '^server/modules/$1/(domain|use-cases)/',
          '^server/modules/$1/ports\\.ts$',
          '^server/modules/[^/]+/index\\.ts$',
        ],
      },
    },
    {
      name: 'console-only-the-public-api',
      comment: 'The admin console reaches data only through the public admin API over HTTP (console/api.ts): never a module, the provider or the admin routes.',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: ['^server/modules/', '^server/oidc/', '^server/http/routes/', '^server/wiring/', '^adapters/', '^interactions/', '^account/'] },
    },
    {
      name: 'http-not-to-adapters',
      comment: 'HTTP code (server/http, interactions, account, server/oidc) uses modules through index.ts, never adapters.',
      severity: 'error',
      from: { path: '^(server/http|interactions|account|console|server/oidc)/' },
      to: { path: ['^adapters/', '^server/modules/[^/]+/(domain|use-cases)/', '^server/modules/[^/]+/ports\\.ts$'] },
    },
    {
      name: 'adapters-not-to-use-cases-or-http',
      comment: 'Adapters implement ports; they never import use cases or HTTP code.',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: ['^server/modules/[^/]+/use-cases/', '^server/http/', '^interactions/', '^account/', '^server/oidc/', '^server/app\\.ts', '^server/wiring/'] },
    },
    {
      name: 'oidc-provider-behind-gateway',
      comment: 'Only server/oidc, interactions/gateway.ts and adapters/oidc import oidc-provider.',
      severity: 'error',
      from: { pathNot: ['^server/oidc/', '^interactions/gateway\\.ts$', '^adapters/oidc/', '^scripts/bench/'] },
      to: { path: '^node_modules/oidc-provider/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-start-sees-the-wiring',
      comment: 'Nothing but the boot sequence (start/main), the CLI and the wiring itself imports server/wiring or main.',
      severity: 'error',
      from: { pathNot: ['^server/(main|start)\\.ts$', '^server/wiring/', '^scripts/'] },
      to: { path: ['^server/wiring/', '^server/main\\.ts$'] },
    },
    {
      name: 'domain-and-use-cases-no-packages',
      comment: 'Domain rules and use cases get I/O, clocks, randomness and SDKs through ports; of the packages only zod (schemas) is allowed.',
      severity: 'error',
      from: { path: '^server/modules/[^/]+/(domain|use-cases)/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '^node_modules/zod/' },
    },
    {
      name: 'use-cases-no-built-ins',
      comment: 'Use cases import no Node built-ins. The allow-list: deterministic SHA-256 in the audit hash chain and federation subject keys; randomness and time still come through ports.',
      severity: 'error',
      from: { path: '^server/modules/[^/]+/use-cases/' },
      to: {
        dependencyTypes: ['core'],
        pathNot: '^node:crypto$|^crypto$',
      },
    },
    {
      name: 'use-cases-crypto-only-where-allowed',
      severity: 'error',
      from: { path: '^server/modules/[^/]+/use-cases/', pathNot: ['^server/modules/compliance/use-cases/chain\\.ts$', '^server/modules/federation/use-cases/federation\\.ts$'] },
      to: { dependencyTypes: ['core'], path: '^node:crypto$|^crypto$' },
    },
    {
      name: 'no-sdks-in-http-and-pages',
      comment: 'HTTP, protocol and page code see SDKs only through ports: JOSE, templates, i18n, SQL, Redis, logging, hashing and delivery SDKs live in adapters/.',
      severity: 'error',
      from: { path: '^(server/http|server/oidc|interactions|account|console)/' },
      to: { path: '^node_modules/(jose|eta|i18next|knex|knex-pglite|ioredis|pg|@electric-sql|pino|argon2|bcryptjs|nodemailer|twilio|@aws-sdk|otplib|qrcode|prom-client|openid-client)/' },
    },
    {
      name: 'adapters-only-from-the-wiring',
      comment: 'Adapters are handed to the code that needs them by the composition root; nothing else constructs or imports one.',
      severity: 'error',
      from: { path: '^(server|interactions|account|console|config|scripts)/', pathNot: ['^server/wiring/', '^server/(main|start)\\.ts$', '^scripts/bench/'] },
      to: { path: '^adapters/' },
    },
    {
      name: 'shared-imports-nothing',
      severity: 'error',
      from: { path: '^server/shared/' },
      to: { path: '^(server|adapters|interactions|account|console|config)/', pathNot: '^server/shared/' },
    },
    {
      name: 'migrations-self-contained',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^(server|adapters|interactions|account|console|config)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
