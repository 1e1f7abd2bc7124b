#!/bin/sh
# Runs after `app new` and before the deploy. CCCI_APP_ENV is the app's env file.
echo "configuring $CCCI_RECIPE at $CCCI_APP_DOMAIN"
echo 'SITE_TITLE="Hello from cc-ci"' >> "$CCCI_APP_ENV"
