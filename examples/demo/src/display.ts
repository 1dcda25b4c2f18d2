/**
 * The demo's terminal output: a line per notable event and, in a TTY, a
 * compact table of nodes and pods redrawn in place below them. Without a TTY
 * (CI, a pipe, a test) only the lines are written, so the output reads as a
 * plain log.
 */

/** One row of the status table. */
export interface StatusTable {
  title: string;
  rows: string[];
}

/** Where the demo writes. */
export interface Display {
  /** A notable event, kept in the scroll-back. */
  line(text: string): void;
  /** The current status; redrawn in place in a TTY, ignored otherwise. */
  status(table: StatusTable): void;
  /** Leaves the last status on screen (without a TTY: prints it once) and stops redrawing. */
  end(): void;
}

/** A display for a terminal (ANSI redraw, unless `redraw` is false) or a plain stream. */
export function createDisplay(stream: NodeJS.WriteStream = process.stdout, redraw = true): Display {
  const tty = redraw && stream.isTTY === true;
  let drawn = 0;
  const clear = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  let last: StatusTable | undefined;
  const draw = () => {
    if (!tty || !last) return;
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    const lines = [
      `\x1b[2m── ${last.title} ${'─'.repeat(Math.max(0, width - last.title.length - 4))}\x1b[0m`,
      ...last.rows,
    ].map((row) => (row.length > width + 9 ? `${row.slice(0, width)}…` : row));
    stream.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  return {
    line(text) {
      clear();
      stream.write(`${text}\n`);
      draw();
    },
    status(table) {
      last = table;
      if (!tty) return;
      clear();
      draw();
    },
    end() {
      if (!tty && last) stream.write(`-- ${last.title}\n${last.rows.join('\n')}\n`);
      last = undefined;
      drawn = 0;
    },
  };
}

/** A display that collects lines, for tests. */
export function recordingDisplay(): Display & { lines: string[]; statuses: StatusTable[] } {
  const lines: string[] = [];
  const statuses: StatusTable[] = [];
  return {
    lines,
    statuses,
    line: (text) => lines.push(text),
    status: (table) => statuses.push(table),
    end: () => undefined,
  };
}
