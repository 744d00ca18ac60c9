#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs what the tests need when it is missing,
# installs the workspace, builds every package and charm, lints, type-checks, then runs vitest
# over every project. The last lines are vitest's counts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
export PATH="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin:$PATH"
pnpm install --frozen-lockfile
pnpm build
pnpm lint
pnpm typecheck
pnpm test
