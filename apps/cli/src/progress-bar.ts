/**
 * A progress bar on stderr (stdout stays clean for data): redrawn in place on a terminal, one line
 * per 10 % otherwise, so that CI logs and pipes show progress without a flood of lines.
 */
export class ProgressBar {
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastDecile = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private total: number,
  ) {}

  update(done: number, total = this.total, note = ''): void {
    this.total = Math.max(total, done, 1);
    const ratio = Math.min(done / this.total, 1);
    const width = 30;
    const filled = Math.round(ratio * width);
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${done}/${this.total} ${rate}/s${note ? ` ${note}` : ''}`;
    if (this.tty) {
      process.stderr.write(`\r${line}\x1b[K`);
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        process.stderr.write(`${line}\n`);
      }
    }
  }

  finish(note = 'done'): void {
    if (this.tty) process.stderr.write('\n');
    process.stderr.write(`${this.label}: ${note} in ${((Date.now() - this.started) / 1000).toFixed(1)} s\n`);
  }
}
