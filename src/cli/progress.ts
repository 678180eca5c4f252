import type { Writable } from 'node:stream';
/** Progress for long commands: a bar with rows/s on a terminal, plain lines otherwise. */
export class Progress {
  private readonly started = Date.now();
  private lastLine = 0;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly totalBytes: number | null,
    private readonly out: Writable & { isTTY?: boolean },
  ) {
    this.tty = Boolean(out.isTTY);
  }

  /** Reports rows done and bytes consumed; throttled. */
  update(rows: number, bytes: number): void {
    const now = Date.now();
    if (now - this.lastLine < (this.tty ? 100 : 2000)) return;
    this.lastLine = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(rows / seconds);
    const fraction = this.totalBytes ? Math.min(bytes / this.totalBytes, 1) : null;
    const pct = fraction === null ? '' : `${(fraction * 100).toFixed(0).padStart(3)}% `;
    const stats = `${rows.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s`;
    if (this.tty) {
      const width = 30;
      const bar =
        fraction === null
          ? ''
          : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] `;
      this.out.write(`\r${this.label} ${bar}${pct}${stats}\x1b[K`);
    } else {
      this.out.write(`${this.label}: ${pct}${stats}\n`);
    }
  }

  /** Clears the bar line. */
  done(): void {
    if (this.tty) this.out.write('\r\x1b[K');
  }
}
