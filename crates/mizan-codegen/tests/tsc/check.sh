#!/usr/bin/env bash
# Type-checks the generated fixture output (tests/tsc/generated, kept current
# by the `tsc_directory_is_current` test) and usage.ts under the strict flags
# of tsconfig.base.json, with `moduleResolution` bundler and then nodenext,
# against the real @mizan/client package (packages/client/src) and Zod.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
cd "$root"
npx --no-install tsc -p crates/mizan-codegen/tests/tsc/tsconfig.json --noEmit
npx --no-install tsc -p crates/mizan-codegen/tests/tsc/tsconfig.nodenext.json --noEmit
