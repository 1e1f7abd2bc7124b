#!/bin/sh
# A tiny static site: serves /var/www (a volume) with busybox httpd on :8000.
set -eu
mkdir -p /var/www
if [ ! -f /var/www/index.html ]; then
  printf '<!doctype html>\n<title>%s</title>\n<h1>%s</h1>\n' "${SITE_TITLE:-hello-static}" "${SITE_TITLE:-hello-static}" > /var/www/index.html
fi
# The secret is never printed; its length proves the length= modifier was honoured.
printf '%s' "$(wc -c < "$TOKEN_FILE" | tr -d ' ')" > /var/www/token-length
exec httpd -f -p 8000 -h /var/www
