# The service image: the API (default command) and, with another command, the projector or the CLI.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY test/support test/support
COPY test/bench test/bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
EXPOSE 3000
# The first admin key's directory (ADMIN_KEY_FILE in docker-compose.yml), writable by the service's user.
RUN mkdir -p /data && chown node:node /data
# Where the key files go when no key is configured (a volume shared by the API and the projectors).
RUN mkdir -p /secrets && chown node:node /secrets && chmod 700 /secrets
USER node
# Liveness of the API (the projector image runs another command and overrides it in compose).
HEALTHCHECK --interval=10s --timeout=5s --retries=3 CMD ["node", "-e", "fetch('http://localhost:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap bounded as the projector's is (PROJECTOR_THREAD_HEAP_MB): below 2 GB, V8 collects before a heap reaches about twice what is live, above it four times.
CMD ["node", "--max-old-space-size=2000", "dist/apps/api/src/main.js"]
