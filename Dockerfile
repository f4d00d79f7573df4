# syntax=docker/dockerfile:1
# hindsight in a container: a static (musl) binary built in the Rust image,
# then copied alone into an image with no shell and no package manager.
#
#   docker build -t hindsight .
#   docker run --rm -v "$PWD:/archive" hindsight check
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/archive" hindsight build
#
# The image runs as a non-root user: `-u` lets `build` write public/ into a
# folder you own. `--target ci` stops at an Alpine image with the same
# binary, git and a shell and no entry point, for CI systems that run job
# scripts inside the image (GitLab CI).
#
# .ci/run runs the build stage's steps without a container engine
# (scripts/docker-build-steps.sh), so a source file missing from the COPY
# lines below fails CI here too.

ARG RUST_VERSION=1.95
ARG ALPINE_VERSION=3.22

FROM rust:${RUST_VERSION}-alpine${ALPINE_VERSION} AS build
# The C parts (oniguruma for highlighting, mimalloc) compile against musl.
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock README.md ./
COPY src ./src
COPY themes ./themes
# Cargo.toml names the bench and test targets; cargo reads them even for
# the binary alone.
COPY benches ./benches
COPY tests ./tests
# The profile to build with: dist for published images (every
# optimisation), release to build faster.
ARG PROFILE=dist
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo install --locked --path . --profile "$PROFILE" --root out --no-track
RUN out/bin/hindsight --version

FROM alpine:${ALPINE_VERSION} AS ci
RUN apk add --no-cache git
COPY --from=build /src/out/bin/hindsight /usr/local/bin/hindsight
RUN hindsight --version

# The default image: the binary, CA certificates and a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/out/bin/hindsight /usr/local/bin/hindsight
WORKDIR /archive
ENTRYPOINT ["/usr/local/bin/hindsight"]
CMD ["check"]
