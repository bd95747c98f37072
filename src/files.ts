/**
 * Reading files the user names (config files, PEM files, manifests) with bounded cost: only
 * regular files (symlinks followed, their target checked), opened without blocking (a FIFO
 * never hangs the process), checked after opening (no race between a check and the read), and
 * read up to a size cap (a device such as /dev/zero is never read). Pure Node.js, no cdktf.
 */
import { closeSync, constants, fstatSync, openSync, readSync, Stats } from "node:fs";

/** Why a file could not be read. */
export type FileReadFailure =
  | { readonly reason: "unreadable"; readonly detail: string }
  | { readonly reason: "not-regular"; readonly detail: string }
  | { readonly reason: "too-large"; readonly detail: string };

/** Thrown by {@link readRegularFile}; callers turn it into their own error with the entry. */
export class FileReadError extends Error {
  /** What went wrong. */
  public readonly failure: FileReadFailure;

  constructor(failure: FileReadFailure) {
    super(`${failure.reason}: ${failure.detail}`);
    this.name = "FileReadError";
    this.failure = failure;
  }
}

/** A size for messages: `64 KiB`, `4 MiB`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * The bytes of a regular file of at most `maxBytes`.
 * @throws FileReadError when the file cannot be opened, is not a regular file (directory,
 *   FIFO, device, socket; a symlink counts as its target), or is larger than `maxBytes`
 */
export function readRegularFile(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    fd = openSync(
      path,
      constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0),
    );
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new FileReadError({ reason: "unreadable", detail: err.code ?? err.message });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new FileReadError({ reason: "not-regular", detail: kindOf(stat) });
    if (stat.size > maxBytes) {
      throw new FileReadError({
        reason: "too-large",
        detail: `${stat.size} bytes; at most ${formatSize(maxBytes)}`,
      });
    }
    // One byte more than the file's size: a file that grows while it is read is noticed.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > stat.size) {
      throw new FileReadError({
        reason: "unreadable",
        detail: "the file changed while it was read",
      });
    }
    return buffer.subarray(0, length);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new FileReadError({ reason: "unreadable", detail: err.code ?? err.message });
  } finally {
    closeSync(fd);
  }
}

/** Text decoded from UTF-8, or where and why it is not UTF-8. */
export type DecodedText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly line: number; readonly problem: string };

/**
 * Decodes UTF-8 strictly (a leading byte order mark is dropped): invalid bytes are reported
 * with their line, never replaced silently.
 */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (
    buffer.length >= 2 &&
    ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))
  ) {
    return {
      ok: false,
      line: 1,
      problem: "the file is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8",
    };
  }
  try {
    // ignoreBOM: false drops a leading UTF-8 byte order mark.
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(buffer) };
  } catch {
    const offset = firstInvalidByte(buffer);
    let line = 1;
    for (let i = 0; i < offset; i++) if (buffer[i] === 0x0a) line++;
    const byte = buffer[offset]?.toString(16).toUpperCase().padStart(2, "0") ?? "end";
    return {
      ok: false,
      line,
      problem: `the file is not UTF-8: byte 0x${byte} at offset ${offset} is not valid UTF-8`,
    };
  }
}

/** The offset of the first byte that is not part of valid UTF-8 (replacement characters aside). */
function firstInvalidByte(buffer: Buffer): number {
  const loose = buffer.toString("utf8");
  for (let at = loose.indexOf("\uFFFD"); at >= 0; at = loose.indexOf("\uFFFD", at + 1)) {
    const offset = Buffer.byteLength(loose.slice(0, at), "utf8");
    const real =
      buffer[offset] === 0xef && buffer[offset + 1] === 0xbf && buffer[offset + 2] === 0xbd;
    if (!real) return offset;
  }
  return buffer.length;
}
