#!/bin/sh
# Runs every fuzz target for a while (default 600 s each), one after the other, with corpora
# seeded from ../shared/corpus. Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable
# toolchain builds the targets with RUSTC_BOOTSTRAP=1 and without a sanitizer (Rust's own
# checks and the targets' assertions catch what matters here).
#
#   scripts/fuzz.sh                 # parse, check, eval, edits; 600 s each
#   SECONDS_EACH=60 scripts/fuzz.sh check
# A crash leaves its input in fuzz/artifacts/TARGET/; `cargo fuzz run TARGET FILE` replays it.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/../shared/corpus"
seconds=${SECONDS_EACH:-600}
targets=${*:-parse check eval edits}
export RUSTC_BOOTSTRAP=1
cd "$root/fuzz"
failed=""
for target in $targets; do
    mkdir -p "corpus/$target"
    # Text targets start from real rulesets; the others find their own shape from them too.
    find "$corpus" -type f \( -name '*.nft' -o -name '*.conf' -o -name '*.t' \) \
        -size -64k -exec cp -n {} "corpus/$target/" \; 2>/dev/null || true
    cargo fuzz run --sanitizer none "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        || failed="$failed $target"
done
if [ -n "$failed" ]; then
    echo "fuzz targets that found a crash, a hang or a leak:$failed (inputs in fuzz/artifacts)" >&2
    exit 1
fi
