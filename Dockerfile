# The platform's image: every role (processor, generators, web, jobs) runs from
# it, chosen with ROLE. Dependencies are fetched in their own layer, keyed on
# deno.json and runtime.lock, so a code change does not download them again;
# the container runs on runtime.lock, as `deno task start` does.
FROM denoland/deno:2.9.6

WORKDIR /app
RUN chown deno:deno /app
USER deno

COPY --chown=deno:deno deno.json runtime.lock ./
# Without the sources deno install can only take every package of the import
# map (the test tools too); `deno cache … --frozen` below checks that the
# roles' graph is exactly runtime.lock's, and the copy restores runtime.lock.
RUN deno install --lock=runtime.lock

COPY --chown=deno:deno . .
# Cache every entry point's modules, so the container starts without fetching.
RUN deno cache --lock=runtime.lock --frozen main.ts workers/edge.ts cli/quality.ts cli/lake.ts cli/models.ts cli/migrate.ts cli/build.ts
# Bundle the islands into static/islands now: at run time the web role then
# spawns nothing and writes no file.
RUN deno task build

ENV HOST=0.0.0.0 \
    PORT=8000 \
    METRICS_PORT=9464 \
    DATA_DIR=/app/data \
    LOG_FORMAT=json
EXPOSE 8000 9464

# The image's entrypoint runs `deno` with these arguments.
CMD ["run", "-A", "--lock=runtime.lock", "--frozen", "--unstable-cron", "main.ts"]
