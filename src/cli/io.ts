/** The process edges a command may touch, passed in so tests run commands in-process. */
import type { Disk } from "../files/disk.js";
import type { Output } from "../views/output.js";

/** Ctrl-C, twice: `stop` on the first, `halt` on the second. */
export interface Interrupts {
  stop: AbortSignal;
  halt: AbortSignal;
}

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Resolves once what was written has reached the reader (or the reader has gone). */
  flushed?(): Promise<void>;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Takes over Ctrl-C (SIGINT/SIGTERM): the first aborts `stop`, the second
   * `halt`. Only commands that stop cleanly call it; others keep the default,
   * where Ctrl-C ends the process.
   */
  interrupts?: () => Interrupts;
  /** Where files are written (tests count the bytes); the local disk by default. */
  disk?: Disk;
}

/** Colour on a terminal, unless NO_COLOR is set, --no-color was given, or the terminal is dumb. */
export function useColour(io: Io, noColorFlag: boolean | undefined): boolean {
  return !noColorFlag && !io.env.NO_COLOR && canRedraw(io);
}

/**
 * Whether stdout is a terminal that understands escape sequences: colour, and
 * a bar redrawn in place. `TERM=dumb` (Emacs shells, some CI runners) says it
 * does not: it gets plain lines, as a log does.
 */
export function canRedraw(io: Io): boolean {
  return io.stdout.isTTY === true && io.env.TERM !== "dumb";
}

/** The output a command's view writes to: the process's stdout and stderr. */
export function outputOf(io: Io): Output {
  return { stdout: (text) => io.stdout.write(text), stderr: (text) => io.stderr.write(text) };
}
