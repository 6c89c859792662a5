import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A size-limited file system of its own (tmpfs), so that a test can fill the disk or make it
 * read-only for real. Needs root (CI runs as root); elsewhere the test fails saying why rather
 * than pretending the condition was tried.
 */
export class Tmpfs {
  private constructor(readonly dir: string) {}

  static mount(sizeBytes: number): Tmpfs {
    const dir = mkdtempSync(join(tmpdir(), 'tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`This fault test needs a real size-limited file system: mounting a tmpfs failed (run as root). ${String((error as { stderr?: unknown }).stderr ?? error)}`);
    }
    return new Tmpfs(dir);
  }

  /** Linux refuses this while a file on it is open for writing: use it between runs, not under one. */
  remount(options: { readOnly: boolean }): void {
    execFileSync('mount', ['-o', `remount,${options.readOnly ? 'ro' : 'rw'}`, this.dir], { stdio: 'pipe' });
  }

  unmount(): void {
    execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
