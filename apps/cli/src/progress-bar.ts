import { SingleBar } from 'cli-progress';

/**
 * A progress bar on stderr (stdout stays clean for data), drawn by cli-progress: redrawn in place
 * on a terminal, one line a second otherwise, so that CI logs and pipes show progress without a
 * flood of lines.
 */
export class ProgressBar {
  private readonly bar: SingleBar;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    total: number,
  ) {
    this.bar = new SingleBar({
      stream: process.stderr,
      format: `${label.replace(/[{}]/g, '')} [{bar}] {percentage}% {value}/{total} {rate}/s {note}`,
      barCompleteChar: '#',
      barIncompleteChar: '-',
      barsize: 30,
      hideCursor: false,
      noTTYOutput: true,
      notTTYSchedule: 1000,
    });
    this.bar.start(Math.max(total, 1), 0, { rate: 0, note: '' });
  }

  update(done: number, total?: number, note = ''): void {
    if (total !== undefined) this.bar.setTotal(Math.max(total, done, 1));
    const seconds = (Date.now() - this.started) / 1000;
    this.bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds) : 0, note });
  }

  finish(note = 'done'): void {
    this.bar.stop();
    process.stderr.write(`${this.label}: ${note} in ${((Date.now() - this.started) / 1000).toFixed(1)} s\n`);
  }
}
