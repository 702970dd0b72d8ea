#!/usr/bin/env node
// Runs on the Node 24 that `npm ci` installs into node_modules/.bin (npx puts it first on PATH).
import "../src/main.ts";
