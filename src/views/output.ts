/**
 * Where a command's view writes: the view to stdout, errors and warnings to
 * stderr. The command line makes one of the process's streams (outputOf); a test or a
 * library caller can collect the text instead. Views never see the process.
 */
import type { Piece } from "./pieces.js";

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Each piece of a view to its stream. */
export function writePieces(out: Output, pieces: Iterable<Piece>): void {
  for (const piece of pieces) out[piece.stream](piece.text);
}
