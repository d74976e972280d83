# syntax=docker/dockerfile:1
# Build stage: full install, codegen, compile. It needs only the files it copies (no demo/):
# test/e2e/production-install.test.ts copies exactly this stage's COPY set into an empty folder and
# runs its RUN lines there. The runtime's compiled code is set apart without the dev entry and tools
# (dist/dev) and without the CXone simulator and its demo signing key (dist/simulator).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json codegen.ts schema.graphql reporting.graphql ./
COPY src ./src
RUN npm run build
RUN cp -R dist runtime-dist && rm -rf runtime-dist/dev runtime-dist/simulator

# Runtime stage (the production image, the default target): production dependencies and compiled
# code only, as a non-root user, with no simulator. NODE_ENV=production: it needs CXONE_API_URL (or
# CXONE_TENANT_ID). (test/e2e/production-install.test.ts proves this stage's steps without Docker.)
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4001
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY schema.graphql reporting.graphql ./
COPY --from=build /app/runtime-dist ./dist
# Numeric (the image's `node` user) so Kubernetes' runAsNonRoot can check it; deploy/ runs it as
# 1000:1000 with a read-only root and only /tmp writable.
USER 1000:1000
EXPOSE 4001
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4001)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]

# Demo image (`docker build --target demo`): the production image plus the simulator and the dev
# entry (dist/dev/main.js, as `npm start` runs it), on the embedded CXone simulator, for a trial
# without a tenant. Publish 4001 and 4010; media links name the host's port 4010.
FROM runtime AS demo
COPY --from=build /app/dist/simulator ./dist/simulator
COPY --from=build /app/dist/dev ./dist/dev
ENV CXONE_SIMULATOR=true SIMULATOR_HOST=0.0.0.0 SIMULATOR_PORT=4010 SIMULATOR_PUBLIC_URL=http://localhost:4010
EXPOSE 4010
CMD ["node", "dist/dev/main.js"]
