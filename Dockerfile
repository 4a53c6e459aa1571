# syntax=docker/dockerfile:1
# CanaryLLM image: build the jar with Maven, then run it on a JRE as a non-root user.
#
#   docker build -t canaryllm .
#   docker run -p 8080:8080 -v canaryllm-data:/data -e CANARYLLM_OPENAI_API_KEY=sk-... canaryllm
#
# The runtime folder (/app) is laid out like a repository checkout after `mvn package`: the gateway reads
# config/ and routes/ from its working directory. Override them by mounting over /app/config or /app/routes.
# deploy/image-build.sh runs the same steps without Docker (see its header).

ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

# ---- build: target/canaryllm.jar and its dependencies in target/lib ----
FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY pom.xml ./
COPY src/ src/
# the Maven repository lives in a BuildKit cache: rebuilds after a source change do not download again
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# ---- runtime ----
FROM ${RUNTIME_IMAGE}
RUN groupadd --system --gid 10001 canary \
 && useradd --system --uid 10001 --gid canary --home-dir /app --no-create-home --shell /usr/sbin/nologin canary \
 && mkdir -p /data \
 && chown canary:canary /data
WORKDIR /app
# application files stay owned by root: the gateway only reads them, and writes only under /data
COPY --from=build /build/target/lib/ lib/
COPY --from=build /build/target/canaryllm.jar canaryllm.jar
COPY config/ config/
COPY routes/ routes/
COPY examples/ examples/
COPY deploy/healthcheck.sh /usr/local/bin/canaryllm-healthcheck

# the embedded H2 store (the default when CANARYLLM_DB_URL is unset) lives in the volume
ENV CANARYLLM_DATA_DIR=/data \
    CANARYLLM_PORT=8080 \
    CANARYLLM_JAVA_OPTS="-XX:+UseSerialGC -Xms128m -Xmx512m -Xmn64m -XX:TrimNativeHeapInterval=2000" \
    CANARYLLM_AOT=on

# the AOT cache (JEP 483/514/515, as bin/canaryllm makes it): a training run against a fake on loopback, with this
# image's JVM and options, then a start with the cache; a cache the JVM cannot use is left out (the image still
# works, it only starts slower). Starts reach /ready in about half the time (bench/README.md "Start-up").
RUN java $CANARYLLM_JAVA_OPTS -XX:AOTCacheOutput=/app/canaryllm.aot -cp /app/canaryllm.jar \
      io.canaryllm.AotTraining >/tmp/aot-training.log 2>&1 \
 && java $CANARYLLM_JAVA_OPTS -XX:AOTCache=/app/canaryllm.aot -cp /app/canaryllm.jar \
      io.canaryllm.AotTraining check \
 || { tail -20 /tmp/aot-training.log; rm -f /app/canaryllm.aot; }; rm -f /tmp/aot-training.log

VOLUME ["/data"]
EXPOSE 8080
USER canary:canary

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["canaryllm-healthcheck"]

# SIGTERM reaches the JVM (exec, PID 1) so the gateway shuts down gracefully; give it time to drain:
# `docker stop -t 40` / compose `stop_grace_period` above CANARYLLM_SHUTDOWN_TIMEOUT_SECONDS (30).
STOPSIGNAL SIGTERM
# the AOT cache is used unless CANARYLLM_AOT=off (turn it off when CANARYLLM_JAVA_OPTS changes the GC or sets -Xms to
# -Xmn: the JVM refuses a cache made with other settings, and with no room for an old generation it does not start)
ENTRYPOINT ["/bin/sh", "-c", "aot=; [ \"$CANARYLLM_AOT\" != off ] && [ -f /app/canaryllm.aot ] && aot=-XX:AOTCache=/app/canaryllm.aot; exec java $CANARYLLM_JAVA_OPTS $aot -jar /app/canaryllm.jar \"$@\"", "canaryllm"]
