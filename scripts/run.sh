#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh) and starts Veeky's all-in-one host: web UI, API and indexer in one
# process, data in ./data (or Veeky__DataDirectory). Extra arguments go to the app, e.g. --urls http://0.0.0.0:8080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
urls=${ASPNETCORE_URLS:-http://localhost:5080}
echo "Veeky: starting on $urls (first start prints the admin password if Veeky__BootstrapAdmin__Password is unset)"
exec dotnet run --project Veeky.Web --configuration Release -- --urls "$urls" "$@"
