// Finds and loads the addon (build/ or prebuilds/), turning load failures into instructions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createError } from './errors';
import type { NativeBinding } from './native';

/** The package root: dist/lib/native.js sits two levels below it. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

function expectedLibrary(root: string): string {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(root, 'deps', '.tf-napi.json'), 'utf8'));
    return String(marker.cApiLibrary);
  } catch {
    return 'libtensorflow_cc.so.2';
  }
}

/** Loads the addon of the package at `root` (build/ or prebuilds/), explaining failures. */
export function loadAddon(root: string): NativeBinding {
  // TF's INFO lines (oneDNN, CPU features) are noise in a Node process; warnings still show.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
  let addon: NativeBinding;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    addon = require('node-gyp-build')(root) as NativeBinding;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const libDir = path.join(root, 'deps', 'lib');
    if (/libtensorflow/.test(reason)) {
      throw new Error(
        `tf-napi: the native addon could not load libtensorflow: it looks for ${expectedLibrary(root)} ` +
          `(and libtensorflow_framework.so.2) in ${libDir}. Run \`npm install\` in the package ` +
          `(or \`npm rebuild tf-napi\`) to provision it; set LIBTENSORFLOW_DIR to use your own libtensorflow.\n` +
          `Loader said: ${reason}`,
        { cause },
      );
    }
    throw new Error(
      `tf-napi: no loadable native addon in ${path.join(root, 'build', 'Release')} or ${path.join(root, 'prebuilds')}. ` +
        `Run \`npm install\` (or \`npm rebuild tf-napi\`) to build it.\nLoader said: ${reason}`,
      { cause },
    );
  }
  addon.setErrorFactory(createError);
  return addon;
}
