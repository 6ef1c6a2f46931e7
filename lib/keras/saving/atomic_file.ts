// Replacing a file atomically: the new content goes to a temporary file in the same folder, is
// flushed to disk, then renamed over the target, so a reader (or a crash) sees the old file or the
// new one, never a part of either. ModelCheckpoint and BackupAndRestore inherit this through save().
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';

function fsyncPath(path: string, flags: string): void {
  let fd: number;
  try {
    fd = fs.openSync(path, flags);
  } catch (e) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes((e as NodeJS.ErrnoException).code ?? '')) return; // A folder that cannot be opened (Windows).
    throw e;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    if (!['EINVAL', 'EBADF', 'EPERM', 'ENOTSUP'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks that `path` can be written: its folder exists (made if missing) and it is not a folder itself. */
function prepareTarget(path: string): void {
  fs.mkdirSync(nodePath.dirname(nodePath.resolve(path)), { recursive: true });
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(path);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw new TypeError(`Cannot save to '${path}': it is a directory`);
}

/** Runs `write(temporaryPath)` and then moves the file it wrote onto `path`; the temporary file is removed on failure. */
export async function replaceFileAtomically(path: string, write: (temporary: string) => Promise<void> | void): Promise<void> {
  prepareTarget(path);
  const dir = nodePath.dirname(nodePath.resolve(path));
  const temporary = nodePath.join(dir, `.${nodePath.basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await write(temporary);
    fsyncPath(temporary, 'r+');
    fs.renameSync(temporary, path);
  } catch (e) {
    fs.rmSync(temporary, { force: true });
    throw e;
  }
  fsyncPath(dir, 'r');
}
