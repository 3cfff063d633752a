# One image recipe for every Node service: build the workspaces, then copy only what the
# chosen service needs to run into a small image that runs as a non-root user.
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY shared/package.json shared/
COPY services/ingest-worker/package.json services/ingest-worker/
COPY services/query-api/package.json services/query-api/
COPY services/rebuild/package.json services/rebuild/
COPY services/demo/package.json services/demo/
COPY patches patches
RUN npm ci --no-audit --no-fund
COPY shared shared
COPY services services
RUN npx tsc -b && npm prune --omit=dev

FROM node:24.21.0-bookworm-slim
ARG SERVICE
# At most two glibc malloc arenas: unset, each of Node's helper threads may get one of its own,
# which seldom gives freed memory back (a draining worker peaked about 10 MB higher, CPU per user
# the same: docs/scaling.md). infra/local/processes.sh sets the same for local processes.
ENV NODE_ENV=production SERVICE=${SERVICE} MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/shared/package.json shared/
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/shared/sql shared/sql
# The whole workspace: its package.json and dist, the node_modules npm nested in it (versions
# that differ from the root's: the query API's typebox), and files it serves as they are (the
# query API's console/static).
COPY --from=build /app/services/${SERVICE} services/${SERVICE}
USER node
CMD ["sh", "-c", "exec node services/${SERVICE}/dist/main.js"]
