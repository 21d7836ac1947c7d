#!/usr/bin/env bash
# Builds and checks the VS Code extension from a clean checkout: installs the locked npm
# packages, type-checks and bundles the client, runs the grammar tests, the language server smoke
# test and the activation test, then packages the .vsix and checks what it holds. Works from any
# directory.
#
#   editors/vscode/test.sh                          # the smoke test uses target/debug/nftlint
#   NFTLINT=/usr/local/bin/nftlint editors/vscode/test.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export NFTLINT="${NFTLINT:-$repo/target/debug/nftlint}"
cd "$here"

if ! command -v "$NFTLINT" >/dev/null; then
    echo "test.sh: no nftlint at $NFTLINT: build it (cargo build -p nftlint-cli) or set NFTLINT" >&2
    exit 1
fi

echo "== npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "== compile"
npm run --silent compile
echo "== grammar tests"
npm run --silent test:grammar
echo "== smoke test ($NFTLINT)"
npm run --silent test:smoke
echo "== activation test"
npm run --silent test:activation
echo "== package"
rm -f out/nftlint.vsix
npm run --silent package </dev/null

# A .vsix is a zip: the manifest, the bundled client and the grammar must be inside it.
listing="$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' out/nftlint.vsix)"
for file in extension/package.json extension/out/extension.js \
    extension/syntaxes/nftables.tmLanguage.json extension/language-configuration.json; do
    if ! grep -qxF "$file" <<<"$listing"; then
        echo "test.sh: $file is missing from out/nftlint.vsix:" >&2
        echo "$listing" >&2
        exit 1
    fi
done
echo "out/nftlint.vsix: $(wc -l <<<"$listing") files, $(du -k out/nftlint.vsix | cut -f1) KiB"
