#!/usr/bin/env bash
# Starts the Elasticsearch of docker-compose.yml and waits until it answers as the elastic user.
# Environment: ES_VERSION (default 9.3.0), ES_PORT (9200), ELASTIC_PASSWORD (changeme).
# Stop it with: docker compose down -v
set -euo pipefail

cd "$(dirname "$0")/.."
port="${ES_PORT:-9200}"
password="${ELASTIC_PASSWORD:-changeme}"
export ES_VERSION="${ES_VERSION:-9.3.0}" ES_PORT="$port" ELASTIC_PASSWORD="$password"

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  echo "es-up: docker compose is not installed" >&2
  exit 1
fi

"${compose[@]}" up -d elasticsearch

url="http://127.0.0.1:${port}"
for _ in $(seq 1 120); do
  if curl -fsS -u "elastic:${password}" "${url}/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then
    version="$(curl -fsS -u "elastic:${password}" "${url}/" | sed -n 's/.*"number" *: *"\([^"]*\)".*/\1/p')"
    echo "Elasticsearch ${version} is up at ${url}"
    echo
    echo "Run the conformance suite against it:"
    echo "  ELASTICSEARCH_URL=${url} ELASTICSEARCH_USERNAME=elastic ELASTICSEARCH_PASSWORD=${password} \\"
    echo "    go test -count=1 -run Conformance ./esapikeytest/"
    exit 0
  fi
  sleep 2
done

echo "es-up: Elasticsearch did not become healthy; recent logs:" >&2
"${compose[@]}" logs --tail 50 elasticsearch >&2
exit 1
