#!/usr/bin/env bash
# Runs a command with the project's settings: .env, overlaid by the environment.
source "$(dirname "$0")/lib.sh"
exec "$@"
