// Progress of a long listing, on stderr so stdout stays clean for tables and JSON: a redrawn bar on
// a terminal, and a plain line every few seconds anywhere else (CI logs, `| tee`).

export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
}

export interface Progress {
  update(done: number, total: number | undefined): void;
  /** A line of its own (a rate-limit wait…), without breaking the bar. */
  note(line: string): void;
  finish(): void;
}

export interface ProgressOptions {
  /** Least time between plain lines. Default 5 s. */
  intervalMs?: number;
  now?: () => number;
}

const BAR_WIDTH = 28;
const REDRAW_MS = 100;

export function makeProgress(label: string, sink: ProgressSink, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 5000;
  let last = { done: 0, total: undefined as number | undefined };
  let drawnAt = Number.NEGATIVE_INFINITY;
  let barShown = false;
  let lastLine = "";

  const text = () => {
    const { done, total } = last;
    if (!total) return `${label}: ${done}`;
    const share = Math.min(done / total, 1);
    const percent = `${Math.floor(share * 100)}%`.padStart(4);
    if (!sink.isTTY) return `${label}: ${done}/${total} (${percent.trim()})`;
    const filled = Math.round(share * BAR_WIDTH);
    return `${label} [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${percent} ${done}/${total}`;
  };
  const draw = (force: boolean) => {
    const at = now();
    if (!force && at - drawnAt < (sink.isTTY ? REDRAW_MS : intervalMs)) return;
    drawnAt = at;
    const line = text();
    if (sink.isTTY) {
      sink.write(`\r\x1b[2K${line}`);
      barShown = true;
    } else if (line !== lastLine) sink.write(`${line}\n`);
    lastLine = line;
  };

  return {
    update(done, total) {
      last = { done, total };
      draw(false);
    },
    note(line) {
      if (sink.isTTY && barShown) sink.write("\r\x1b[2K");
      sink.write(`${line}\n`);
      if (sink.isTTY && barShown) draw(true);
    },
    finish() {
      draw(true);
      if (sink.isTTY) sink.write("\n");
      barShown = false;
    },
  };
}

/** Progress that prints nothing (JSON output, tests). */
export const silentProgress: Progress = {
  update: () => undefined,
  note: () => undefined,
  finish: () => undefined,
};
