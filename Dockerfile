# incident-room: one image for every replica. Multi-stage: the full toolchain checks the
# TypeScript and builds the Teams app package; the runtime stage carries only production
# dependencies and the sources, and runs as the unprivileged `node` user.
# syntax=docker/dockerfile:1

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY vendor ./vendor
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run typecheck

FROM node:20-bookworm-slim AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY vendor ./vendor
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3978 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=production-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/package.json /app/server.ts /app/config.ts /app/tsconfig.json ./
COPY --from=build --chown=root:root /app/models ./models
COPY --from=build --chown=root:root /app/bot ./bot
COPY --from=build --chown=root:root /app/adapters ./adapters
COPY --from=build --chown=root:root /app/http ./http
COPY --from=build --chown=root:root /app/tab ./tab
COPY --from=build --chown=root:root /app/manifest ./manifest
COPY --from=build --chown=root:root /app/admin ./admin
# Local mode (the stand-ins and the sandbox) is a part of the product: a demo container can run
# it with ALLOW_LOCAL_MODE_IN_PRODUCTION=true and, as HOST is 0.0.0.0 here, ALLOW_LOCAL_MODE_ON_NETWORK=true
# (and PUBLIC_BASE_URL if the browser reaches it at another port or name). Real mode never loads it. Tests are not shipped.
COPY --from=build --chown=root:root /app/local ./local
USER node
EXPOSE 3978
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Kubernetes/Container Apps send SIGTERM: the app stops taking work, finishes what is in flight and releases its leases.
STOPSIGNAL SIGTERM
CMD ["node", "--no-deprecation", "--import", "tsx", "server.ts"]
