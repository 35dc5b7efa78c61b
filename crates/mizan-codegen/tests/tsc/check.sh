#!/usr/bin/env bash
# Type-checks the generated fixture output (tests/tsc/generated, kept current
# by the `tsc_directory_is_current` test) and usage.ts under `tsc --strict`,
# against the real @mizan/client package (packages/client/src) and Zod.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
cd "$root"
exec npx --no-install tsc -p crates/mizan-codegen/tests/tsc --noEmit
