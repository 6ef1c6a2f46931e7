#!/usr/bin/env node
// prebuildify drives node-gyp (`node-gyp rebuild --target=… --release`); this stands in for it and
// builds with cmake-js against Node-API headers instead, into the same build/Release folder.
'use strict';
const { spawnSync } = require('node:child_process');

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const debug = process.argv.includes('--debug');
const r = spawnSync(process.execPath, [cmakeJs, 'rebuild', ...(debug ? ['--debug'] : [])], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
