#!/usr/bin/env bash
# Runs the whole Veeky test suite and ends with the plain line "N passed, N failed, N skipped".
# Three passes: every Veeky.Tests test on the embedded parts (SQLite, in-process events), then the API and pipeline
# tests again on PostgreSQL + Redis (VEEKY_TEST_STORAGE=postgres-redis, their own TRX file postgres-redis.trx), then
# Veeky.AppHost.Tests (the Aspire application model, the manifest azd reads, the embedded profile with its dashboard
# in Chromium; the container tests run only where `docker info` succeeds, apphost.trx); the line sums all three.
# Installs the test prerequisites first (scripts/setup.sh --test). Extra arguments go to `dotnet test`
# (e.g. --filter "FullyQualifiedName~Search") and then run that selection once, on the embedded parts only
# (set VEEKY_TEST_STORAGE=postgres-redis yourself for the other). Exits non-zero when any test fails or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test || exit 1

results=TestResults
rm -rf "$results"/*.trx
dotnet test Veeky.Tests/Veeky.Tests.csproj --configuration Release --logger "trx;LogFileName=embedded.trx" --results-directory "$results" "$@"
status=$?

if [[ $# -eq 0 && -z "${VEEKY_TEST_STORAGE:-}" ]]; then
  echo
  echo "Second pass: the API and pipeline tests on PostgreSQL + Redis"
  started=$SECONDS
  # The test classes that build hosts on storage; the pipeline's pure tool and parsing tests (pocketsphinx alone takes
  # half a minute) would only run the same thing twice.
  second_pass="(FullyQualifiedName~Veeky.Tests.Api.|FullyQualifiedName~Veeky.Tests.Pipeline.|FullyQualifiedName~Veeky.Tests.Jobs.StaleWorkerTests)"
  for pure in PocketSphinxTranscriberTests SegmentPlannerTests ToolOutputParsingTests TranscriptAlignerTests \
              EnrichKeywordExtractorTests EnrichmentConfigReaderTests; do
    second_pass+="&FullyQualifiedName!~Veeky.Tests.Pipeline.$pure"
  done
  VEEKY_TEST_STORAGE=postgres-redis dotnet test Veeky.Tests/Veeky.Tests.csproj --configuration Release --no-build \
    --filter "$second_pass" \
    --logger "trx;LogFileName=postgres-redis.trx" --results-directory "$results"
  second=$?
  echo "Second pass took $((SECONDS - started)) s"
  # Same test names in both files: mark the second pass's, so a report viewer tells the two runs apart.
  sed -i -e 's/<UnitTest name="/<UnitTest name="[postgres-redis] /g' -e 's/ testName="/ testName="[postgres-redis] /g' \
    "$results/postgres-redis.trx" 2>/dev/null || true
  if [[ $second -ne 0 ]]; then status=$second; fi

  echo
  echo "Third pass: the Aspire AppHost tests"
  started=$SECONDS
  dotnet test Veeky.AppHost.Tests/Veeky.AppHost.Tests.csproj --configuration Release \
    --logger "trx;LogFileName=apphost.trx" --results-directory "$results"
  third=$?
  echo "AppHost tests took $((SECONDS - started)) s"
  if [[ $third -ne 0 ]]; then status=$third; fi
fi

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
