// A Disk that counts the bytes written through it (content, not metadata), and
// the writes: whole files and appends. Plain JS, with its types beside it in
// counting-disk.d.mts, so that both the tests (over src/) and the benchmark's
// measure-cli.mjs (over dist/, with no TypeScript loader in the measurement)
// use this one; each passes the Disk it wraps.

export class CountingDisk {
  bytesWritten = 0;
  writes = 0;

  constructor(inner) {
    this.inner = inner;
  }

  readText(path) {
    return this.inner.readText(path);
  }

  readBytes(path) {
    return this.inner.readBytes(path);
  }

  readPieces(path, pieceSize) {
    return this.inner.readPieces(path, pieceSize);
  }

  size(path) {
    return this.inner.size(path);
  }

  /** Not counted: the lock is a few bytes per run, whatever its work. */
  createNew(path, content) {
    return this.inner.createNew(path, content);
  }

  writeAtomic(path, content) {
    const pieces = typeof content === "string" ? [content] : content;
    const self = this;
    this.writes++;
    this.inner.writeAtomic(
      path,
      (function* () {
        for (const piece of pieces) {
          self.bytesWritten += Buffer.byteLength(piece);
          yield piece;
        }
      })(),
    );
  }

  openLog(path) {
    const log = this.inner.openLog(path);
    return {
      append: (text) => {
        this.bytesWritten += Buffer.byteLength(text);
        this.writes++;
        log.append(text);
      },
      close: () => log.close(),
    };
  }

  /** Not counted: only a crash's torn archive line is cut, once. */
  truncate(path, length) {
    this.inner.truncate(path, length);
  }

  remove(path) {
    this.inner.remove(path);
  }
}
