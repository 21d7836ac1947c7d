#!/bin/sh
# Runs each ruleset's packets through the real kernel and records its traces beside them:
# NAME.nft + NAME.jsonl -> NAME.kernel.jsonl. Needs root, nft, conntrack and python's scapy (see
# the kernel test lab's own help). Rulesets run two at a time.
#
#   tests/kernel/record.sh DIR [ORACLE]
set -eu
dir=$1
oracle=${2:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/tools/kernel-oracle}
ls "$dir"/*.nft | xargs -P 2 -I{} sh -c '
    ruleset={}
    out=${ruleset%.nft}.kernel.jsonl
    if ! python3 "$1" "$ruleset" --jsonl "${ruleset%.nft}.jsonl" >"$out.tmp" 2>"$out.err"; then
        echo "$ruleset: the kernel test lab failed:" >&2
        cat "$out.tmp" "$out.err" >&2
        rm -f "$out.tmp" "$out.err"
        exit 1
    fi
    mv "$out.tmp" "$out"
    rm -f "$out.err"
' sh "$oracle"
