#!/bin/sh
# Creates the application's database role, or sets its password again; safe to run twice.
# Run as the database owner (docker-compose.yml's `db-roles` service), before `migrate` and
# `manage.py grant_app_role`, which gives the role its rights. The role owns nothing and may
# not create roles or databases, so it can never empty the access log.
#
# Needs: APP_DB_USER, APP_DB_PASSWORD, and the usual PGHOST, PGUSER, PGPASSWORD, PGDATABASE.
set -eu
: "${APP_DB_USER:?set APP_DB_USER}"
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 -v app_user="$APP_DB_USER" -v app_password="$APP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'app_user')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') \gexec
SELECT format(
    'ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS '
    'PASSWORD %L',
    :'app_user', :'app_password') \gexec
SQL
echo "database role $APP_DB_USER is ready"
