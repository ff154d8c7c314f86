# syntax=docker/dockerfile:1
# The worker image: `docker build .` builds the `runtime` stage (the last one). The `emulator`
# stage is the SureCloud emulator for local stacks (compose.yaml), never for production.

# --- build: every dependency, compile the TypeScript and bundle the Action.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY actions ./actions
COPY shared ./shared
COPY contract ./contract
COPY worker ./worker
COPY toolbox ./toolbox
COPY tenant-config ./tenant-config
COPY dev ./dev
COPY bench ./bench
RUN npm run build

# --- emulator: the standalone SureCloud emulator (dev only). Its packages are production ones.
FROM node:22-slim AS emulator
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist/shared ./dist/shared
# The emulator checks requests against the contract's schemas, as the worker's adapter checks answers.
COPY --from=build /app/dist/contract ./dist/contract
COPY --from=build /app/dist/dev/surecloud-emulator ./dist/dev/surecloud-emulator
# `main.js state` prints tables with the operations CLI's table formatter.
COPY --from=build /app/dist/toolbox/cli ./dist/toolbox/cli
USER node
EXPOSE 4010
CMD ["node", "dist/dev/surecloud-emulator/main.js", "--host", "0.0.0.0", "--port", "4010"]

# --- runtime: the worker and the operations CLI (surecloud-sync: node dist/toolbox/cli/main.js),
# production dependencies only, as the unprivileged `node` user. Tenant onboarding (tenant-config/tools,
# auth0-deploy-cli) runs from a checkout and is not in the image.
FROM node:22-slim AS runtime
WORKDIR /app
# The worker's live heap stays under 40 MB; without a limit V8 keeps freed heap and RSS passes
# 200 MB under load (docs/benchmark.md). 128 MB leaves three times the live heap.
ENV NODE_ENV=production \
    HTTP_PORT=8080 \
    NODE_OPTIONS=--max-old-space-size=128
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
# Owned by root and read-only to `node`: the worker writes nothing to disk.
COPY --from=build /app/dist/shared ./dist/shared
COPY --from=build /app/dist/contract ./dist/contract
COPY --from=build /app/dist/worker ./dist/worker
COPY --from=build /app/dist/toolbox ./dist/toolbox
# The built Action, which `surecloud-sync send-event` (the smoke test) runs as Auth0 would.
COPY --from=build /app/dist/actions ./dist/actions
USER node
EXPOSE 8080
# slim has no curl; node's fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself; main.ts drains in-flight jobs for
# SHUTDOWN_GRACE_SECONDS (default 25), so give `docker stop` more than that (-t 30, compose's
# stop_grace_period). `docker run --init` (tini) is optional: it only adds zombie reaping.
STOPSIGNAL SIGTERM
CMD ["node", "dist/worker/main.js"]
