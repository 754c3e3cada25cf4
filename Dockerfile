# syntax=docker/dockerfile:1
# seaworthy as a container image: a static binary, run as an unprivileged
# user on an empty base.
#
#   docker build -t seaworthy .
#   docker run --rm -v "$PWD:/src" seaworthy check

FROM rust:1.95.0-alpine3.22 AS build
# musl-dev: the C runtime the static (musl) binary links against (`~1.2`:
# Alpine keeps only the newest patch release of a package)
RUN apk add --no-cache musl-dev~1.2
WORKDIR /build
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked --bin seaworthy \
    && cp target/release/seaworthy /seaworthy

FROM scratch
COPY --from=build /seaworthy /usr/local/bin/seaworthy
# the linted project is mounted here; nothing else is written
WORKDIR /src
USER 10001:10001
ENTRYPOINT ["seaworthy"]
CMD ["check"]
