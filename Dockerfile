# syntax=docker/dockerfile:1
# Build stage: full install, codegen, compile.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json codegen.ts schema.graphql ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies and compiled code only, as a non-root user.
# NODE_ENV=production: it needs CXONE_API_URL (or CXONE_SIMULATOR=true for a demo image, with
# SIMULATOR_HOST=0.0.0.0 SIMULATOR_PORT=4010 SIMULATOR_PUBLIC_URL=http://<host>:4010 and -p 4010:4010).
# (test/e2e/production-install.test.ts proves this stage's steps without Docker.)
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4001
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY schema.graphql ./
COPY --from=build /app/dist ./dist
# Numeric (the image's `node` user) so Kubernetes' runAsNonRoot can check it; deploy/ runs it as
# 1000:1000 with a read-only root and only /tmp writable.
USER 1000:1000
EXPOSE 4001
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4001)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
