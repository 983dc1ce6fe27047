#!/usr/bin/env bash
# Creates one database per SFMS service (each service owns its database; none reads
# another's tables). The postgres image runs this once, from /docker-entrypoint-initdb.d,
# when the data directory is empty. SFMS_DATABASES is a comma-separated list of names.
set -euo pipefail

: "${SFMS_DATABASES:?SFMS_DATABASES must list the databases to create, e.g. intake,scoring}"

IFS=',' read -r -a databases <<< "${SFMS_DATABASES}"
for database in "${databases[@]}"; do
    database="${database//[[:space:]]/}"
    [[ -z "${database}" ]] && continue
    if [[ ! "${database}" =~ ^[a-z_][a-z0-9_]*$ ]]; then
        echo "create-databases: refusing database name '${database}'" >&2
        exit 1
    fi
    echo "create-databases: ${database}"
    psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" --dbname "${POSTGRES_DB:-${POSTGRES_USER}}" <<SQL
SELECT 'CREATE DATABASE "${database}"'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${database}')\gexec
SQL
done
