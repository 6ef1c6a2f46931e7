#!/usr/bin/env node
// tf-napi-run --workers N script.js [args...]: a local multi-worker cluster (lib/distribute/launcher.ts).
const { main } = require('../dist/lib/distribute/launcher');

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`tf-napi-run: ${e.message}\n`);
    process.exit(2);
  },
);
