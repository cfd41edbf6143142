#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), publishes Veeky's all-in-one host (web UI, API and indexer in one
# process) and starts it, with data in the repository's data/ folder (or Veeky__DataDirectory).
# Extra arguments go to the app, e.g. --urls http://0.0.0.0:8080 (default http://localhost:5080, or ASPNETCORE_URLS).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh

# The published output is what a server or container runs: precompressed (gzip, brotli), immutably cached assets.
# Publishing again is incremental, so a second start costs seconds.
out="$root/Veeky.Web/bin/publish"
echo "Veeky: building (dotnet publish, Release)"
dotnet publish "$root/Veeky.Web" --configuration Release --output "$out" -nologo -v quiet

export Veeky__DataDirectory="${Veeky__DataDirectory:-$root/data}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:5080}"
urls=$ASPNETCORE_URLS
# A --urls argument wins over ASPNETCORE_URLS: the host gets it once, from the user, and this line names it.
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --urls=*) urls=${args[$i]#--urls=} ;;
    --urls) urls=${args[$((i + 1))]:-$urls} ;;
  esac
done
echo "Veeky: starting on $urls with data in $Veeky__DataDirectory"
echo "       (the first start prints the admin password if Veeky__BootstrapAdmin__Password is unset)"
# The published host finds its appsettings.json and wwwroot in its content root: its own folder.
cd "$out"
exec ./Veeky.Web "$@"
