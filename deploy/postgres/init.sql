-- Run once by the postgres image on an empty data directory (docker-compose.yml mounts this file
-- into /docker-entrypoint-initdb.d). The role "koshqon" is POSTGRES_USER, so it exists already;
-- each service gets its own database, owned by that role. deploy/local/postgres.sh does the same
-- for the Docker-free cluster.
CREATE DATABASE koshqon_registration OWNER koshqon;
CREATE DATABASE koshqon_permits OWNER koshqon;
CREATE DATABASE koshqon_diaspora OWNER koshqon;
CREATE DATABASE koshqon_statistics OWNER koshqon;
