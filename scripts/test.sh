#!/usr/bin/env bash
# Runs the whole Veeky test suite (Veeky.Tests; the Aspire AppHost tests need Docker and run on their own) and ends with the plain line "N passed, N failed, N skipped".
# Installs the test prerequisites first (scripts/setup.sh --test). Extra arguments go to `dotnet test`
# (e.g. --filter "FullyQualifiedName~Search"). Exits non-zero when any test fails or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test || exit 1

results=TestResults
rm -rf "$results"/*.trx
dotnet test Veeky.Tests/Veeky.Tests.csproj --configuration Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$((total + $(value total)))
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  # xunit's skips reach the TRX as not executed: total minus executed counts them.
  skipped=$((skipped + $(value total) - $(value executed)))
done

echo
echo "$passed passed, $failed failed, $skipped skipped"
if [[ $status -ne 0 || $failed -ne 0 || $total -eq 0 ]]; then
  exit 1
fi
