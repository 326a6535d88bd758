/**
 * Text bound for a stream: the view on stdout, errors and warnings on stderr,
 * so `decom plan > plan.txt` keeps the plan in the file and still shows on the
 * terminal why it was blocked. A library caller gets the pieces joined.
 */
export interface Piece {
  stream: "stdout" | "stderr";
  text: string;
}

export const viewText = (text: string): Piece => ({ stream: "stdout", text });
export const problemText = (text: string): Piece => ({ stream: "stderr", text });

/** All the pieces as one text, in order: what a terminal shows when both streams go to it. */
export function joinPieces(pieces: Iterable<Piece>): string {
  let text = "";
  for (const piece of pieces) text += piece.text;
  return text;
}
