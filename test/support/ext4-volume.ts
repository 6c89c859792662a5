import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * An ext4 volume in an image file, mounted with `errors=remount-ro`, so that a test can have the
 * kernel turn it read-only under files open for writing — what a failing disk does, and what no
 * `mount -o remount,ro` can (Linux refuses that while a file is open for writing) — and then mount
 * it back, as an operator would. Needs root (CI runs as root); elsewhere the test fails saying why.
 */
export class Ext4Volume {
  private constructor(
    readonly dir: string,
    private readonly image: string,
    private device: string,
  ) {}

  static mount(sizeBytes: number): Ext4Volume {
    const dir = mkdtempSync(join(tmpdir(), 'ext4-'));
    const image = `${dir}.img`;
    writeFileSync(image, '');
    truncateSync(image, sizeBytes);
    try {
      execFileSync('mkfs.ext4', ['-q', image], { stdio: 'pipe' });
      const volume = new Ext4Volume(dir, image, '');
      volume.attach();
      return volume;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      rmSync(image, { force: true });
      throw new Error(`This fault test needs a real file system it can break: mounting an ext4 image failed (run as root). ${String((error as { stderr?: unknown }).stderr ?? error)}`);
    }
  }

  /** The kernel's own reaction to a file system error: from now on every write on the volume fails (EROFS, EIO). */
  turnReadOnly(): void {
    writeFileSync(`/sys/fs/ext4/${basename(this.device)}/trigger_fs_error`, 'fault test: the disk failed\n');
  }

  /**
   * The operator's recovery: the broken mount is detached (it lives on, read-only, while files on it
   * are open) and the volume is mounted again at the same place, writable, its journal replayed.
   */
  mountBack(): void {
    execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    execFileSync('losetup', ['-d', this.device], { stdio: 'pipe' });
    this.attach();
  }

  unmount(): void {
    execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    // A device still held by a lazily detached mount is released when its last file closes.
    execFileSync('losetup', ['-d', this.device], { stdio: 'pipe' });
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.image, { force: true });
  }

  private attach(): void {
    this.device = execFileSync('losetup', ['-f', '--show', this.image], { stdio: 'pipe' }).toString().trim();
    execFileSync('mount', ['-o', 'errors=remount-ro', this.device, this.dir], { stdio: 'pipe' });
  }
}
