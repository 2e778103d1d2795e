#!/usr/bin/env sh
# A self-signed certificate for https://localhost (and 127.0.0.1, ::1), for the docker compose
# stack's nginx: writes nginx/certs/localhost.crt and localhost.key. Keeps existing files
# unless --force is given. Usage: nginx/make-cert.sh [--force] [output-dir]
# Trust localhost.crt on your machine to get rid of the browser warning (see README).
set -eu

force=0
if [ "${1:-}" = "--force" ]; then
    force=1
    shift
fi
dir="${1:-$(cd "$(dirname "$0")" && pwd)/certs}"
days="${CERT_DAYS:-825}"  # macOS refuses server certificates valid for longer
crt="$dir/localhost.crt"
key="$dir/localhost.key"

mkdir -p "$dir"
if [ "$force" -eq 0 ] && [ -s "$crt" ] && [ -s "$key" ]; then
    echo "$crt exists; keeping it (use --force for a new one)."
    exit 0
fi

umask 077
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days "$days" \
    -keyout "$key" -out "$crt" \
    -subj "/CN=localhost/O=OnlineShop local development" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    -addext "extendedKeyUsage=serverAuth" 2>/dev/null
# The certificate is public; the key must be readable by nginx in its container only.
chmod 644 "$crt"
chmod 600 "$key"
echo "Wrote $crt and $key (valid for $days days)."
