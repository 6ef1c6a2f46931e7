// Fake folders for the provisioning tests: temp dirs, files, and a folder laid out like a tarball.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { provision, ProvisionError } = require(path.join(REPO, 'scripts', 'provision-libtensorflow.js'));

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function touch(file: string, content = ''): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** A folder laid out like Google's libtensorflow C tarball. */
export function fakeTarball(): string {
  const dir = tempDir('tf-tarball-');
  touch(path.join(dir, 'lib', 'libtensorflow.so.2'));
  touch(path.join(dir, 'lib', 'libtensorflow_framework.so.2'));
  touch(path.join(dir, 'include', 'tensorflow', 'c', 'c_api.h'));
  return dir;
}
