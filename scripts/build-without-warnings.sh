#!/usr/bin/env bash
# Builds the package and its tests (debug) and fails if the compiler warns about a file under Sources/
# or Tests/, listing each warning. make test runs it, so a warning fails the tests.
#   scripts/build-without-warnings.sh            (SWIFT=/path/to/swift to choose the toolchain)
# An incremental build prints a file's warnings only when it compiles that file again, so the project's
# own Swift files are touched first: they are all compiled (about a minute), the dependencies are not.
# Not -warnings-as-errors: as an unsafe flag in Package.swift it would bar the package from being a
# versioned dependency, and on the command line it would reach the dependencies' code too.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
find Sources Tests -name '*.swift' -exec touch {} +
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"${SWIFT:-swift}" build --build-tests 2>&1 | tee "$log"
warnings=$(awk -v s="$root/Sources/" -v t="$root/Tests/" \
  '(index($0, s) == 1 || index($0, t) == 1) && $0 ~ /^[^ ]+:[0-9]+:[0-9]+: warning: /' "$log" | sort -u)
if [ -n "$warnings" ]; then
  printf '%s\n' "$warnings" >&2
  echo "$(printf '%s\n' "$warnings" | wc -l) compiler warning(s) in Sources/ or Tests/: the build must have none" >&2
  exit 1
fi
