/** The process edges a command may touch, passed in so tests run commands in-process. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Takes over Ctrl-C (SIGINT/SIGTERM) and returns a signal aborted when it
   * comes. Only commands that stop cleanly call it; others keep the default,
   * where Ctrl-C ends the process.
   */
  interrupts?: () => AbortSignal;
}

/** Colour on a terminal, unless NO_COLOR is set or --no-color was given. */
export function useColour(io: Io, noColorFlag: boolean | undefined): boolean {
  return !noColorFlag && !io.env.NO_COLOR && io.stdout.isTTY === true;
}
