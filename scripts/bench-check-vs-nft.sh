#!/bin/sh
# Times `nftlint check` (every rule on) against `nft -c -f` on the same generated rulesets, side
# by side, measures the peak memory of each, and prints a Markdown table. nft needs root; it runs in a throw-away network namespace
# so that checking never touches this machine's firewall. Without root, only nftlint is timed.
#
#   scripts/bench-check-vs-nft.sh            # 1,000, 10,000 and 50,000 rules
#   RULES="10000" RUNS=3 scripts/bench-check-vs-nft.sh
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
generator="$root/../shared/tools/gen-ruleset"
runs=${RUNS:-5}
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p nftlint-cli
nftlint="${CARGO_TARGET_DIR:-$root/target}/release/nftlint"
work=$(mktemp -d)
namespace="nftlint-bench-$$"
cleanup() {
    rm -rf "$work"
    ip netns del "$namespace" 2>/dev/null || true
}
trap cleanup EXIT

# The best wall-clock time of $runs runs of a command, in seconds.
best_of() {
    best=""
    i=0
    while [ "$i" -lt "$runs" ]; do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        elapsed=$(( (end - start) / 1000 ))
        if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
        i=$((i + 1))
    done
    awk "BEGIN { printf \"%.3f\", $best / 1000000 }"
}

with_nft=false
if [ "$(id -u)" = 0 ] && command -v nft >/dev/null && ip netns add "$namespace" 2>/dev/null; then
    with_nft=true
fi

# The peak resident memory of one run of a command, in MiB (GNU time's %M, in KiB).
peak_of() {
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1 \
        | awk '{ printf "%.0f", $1 / 1024 }'
}

echo "| rules | bytes | \`nft -c -f\` | \`nftlint check\` | ratio | peak memory, nft / nftlint |"
echo "|---|---|---|---|---|---|"
for rules in ${RULES:-1000 10000 50000}; do
    file="$work/rules-$rules.nft"
    python3 "$generator" --rules "$rules" >"$file"
    ours=$(best_of "$nftlint" check "$file")
    if $with_nft; then
        # nft's first run pays for loading kernel modules: warm it up once.
        ip netns exec "$namespace" nft -c -f "$file" >/dev/null 2>&1 || true
        theirs=$(best_of ip netns exec "$namespace" nft -c -f "$file")
        ratio=$(awk "BEGIN { printf \"%.1fx\", $theirs / $ours }")
        # nft itself, not `ip netns exec`: GNU time reports its largest child.
        their_peak="$(peak_of ip netns exec "$namespace" nft -c -f "$file") MiB"
    else
        theirs="(needs root)"
        ratio="-"
        their_peak="-"
    fi
    our_peak="$(peak_of "$nftlint" check "$file") MiB"
    echo "| $rules | $(wc -c <"$file") | $theirs s | $ours s | $ratio | $their_peak / $our_peak |"
done
