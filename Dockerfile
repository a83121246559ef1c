# syntax=docker/dockerfile:1

# ---- build: install everything, compile TypeScript, then drop dev dependencies
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    PUPPETEER_SKIP_DOWNLOAD=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# Dependencies first, so this layer is cached until the lockfile changes.
# argon2 ships N-API prebuilds for linux-x64/arm64 glibc: no compiler needed.
COPY package.json package-lock.json ./
RUN npm ci

COPY . .
# mkdir: views/ and public/ always exist in this stage, so the runtime COPYs
# below work whether or not the repository has them.
RUN npm run build \
 && npm prune --omit=dev \
 && mkdir -p views public locales wordlists

# ---- runtime: production dependencies and compiled output only
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
# Memory (docs/performance.md, "Memory"): a 4 MiB semi-space and a 192 MiB old-generation limit
# keep V8 from letting garbage pile up to ~180 MiB between full collections under load (the live
# heap is ~50 MiB); two malloc arenas keep glibc from holding an argon2 hash's 19 MiB in the arena
# of every thread-pool thread that ran one. Override NODE_OPTIONS for a deployment whose live heap
# is larger (many clients or keys in memory).
ENV NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size=192" \
    MALLOC_ARENA_MAX=2
WORKDIR /app

# Owned by root and read-only for the app user: the process cannot rewrite its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/views ./views
COPY --from=build /app/public ./public
COPY --from=build /app/locales ./locales
# The password blocklist (wordlists/README.md) is read at startup.
COPY --from=build /app/wordlists ./wordlists

# Only for DATA_DIR (development secrets / embedded database); production uses
# DATABASE_URL and explicit COOKIE_KEYS / KEY_ENCRYPTION_KEY.
RUN mkdir -p /app/data && chown node:node /app/data

USER node
EXPOSE 3000

# No curl in slim images: use Node's own fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Exec form: node is PID 1 and receives SIGTERM directly; the app installs its
# own SIGTERM/SIGINT handlers and shuts down gracefully (SHUTDOWN_GRACE).
# It spawns no child processes, so no init is needed to reap zombies.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
