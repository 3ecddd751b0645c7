// A ledger day archived in bounded parts (docs/contract.md §8): a day whose compressed archive
// spans several R2 parts goes through the real retirement code (pages read, gzip, multipart upload,
// read-back check) with the clock passed in, its rows made up on demand by a stand-in for the
// object's SQL, so the day can be larger than the test could afford to insert.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { type ArchivedLedger, archiveKey, PART_BYTES, retire } from "../../src/billing/ledger-archive.ts";
import type { LedgerCursor, LedgerEntry } from "../../src/billing/types.ts";
import { addDays, chinaDayStart } from "../../src/platform/time.ts";
import { refusedRow } from "../fixtures/ledger.ts";

const DAY = "2031-01-01";
const RETENTION = 400;
const ROWS = 260_000;
const ACCOUNT = "acc_archive_big";

/** Row i of the day: its order number and fingerprint prefix scrambled so gzip cannot fold the rows together. */
function row(i: number): LedgerEntry {
  const scramble = (n: number) =>
    ((Math.imul(n + 1, 2_654_435_761) >>> 0).toString(16) + n.toString(36)).padStart(12, "0");
  return refusedRow(`VM${scramble(i)}${String(i).padStart(7, "0")}`, chinaDayStart(DAY) + i, "307", {
    fingerprintPrefix: scramble(i * 7 + 3).slice(-12),
    upstreamMs: i % 997,
    upstreamOrderId: scramble(i * 13 + 5) + scramble(i * 31 + 11),
  });
}

/** The ledger of one big day, made up as it is read; records what retirement records and deletes. */
function bigDay(): ArchivedLedger & { record: unknown[]; deleted: number; read: number } {
  const book = {
    record: [] as unknown[],
    deleted: 0,
    /** Rows handed out so far. */
    read: 0,
    oldestDay: () => (book.deleted >= ROWS ? null : DAY),
    isArchived: () => book.record.length > 0,
    archived: (a: unknown) => void book.record.push(a),
    countDay: () => ROWS,
    deleteArchived: (_day: string, limit: number) => {
      book.deleted += limit;
    },
    rows: (_from: string, _to: string, limit: number, after: LedgerCursor | null) => {
      const from = after === null ? 0 : after.at - chinaDayStart(DAY) + 1;
      const page = Array.from({ length: Math.max(0, Math.min(limit, ROWS - from)) }, (_, k) => row(from + k));
      book.read += page.length;
      return page;
    },
  };
  return book;
}

/** A binding's member, its methods bound to it (workerd refuses them called on a proxy). */
function bound(target: object, name: string | symbol): unknown {
  const value: unknown = Reflect.get(target, name);
  return typeof value === "function" ? value.bind(target) : value;
}

/** The archive bucket, noting how many rows had been read when each part was uploaded. */
function watched(ledger: { read: number }): { bucket: R2Bucket; readAtPart: number[] } {
  const readAtPart: number[] = [];
  const bucket = new Proxy(env.LEDGER_ARCHIVE, {
    get: (target, name) =>
      name === "createMultipartUpload"
        ? async (...args: Parameters<R2Bucket["createMultipartUpload"]>) => {
            const upload = await target.createMultipartUpload(...args);
            return new Proxy(upload, {
              get: (inner, method) =>
                method === "uploadPart"
                  ? (...part: Parameters<R2MultipartUpload["uploadPart"]>) => {
                      readAtPart.push(ledger.read);
                      return inner.uploadPart(...part);
                    }
                  : bound(inner, method),
            });
          }
        : bound(target, name),
  });
  return { bucket, readAtPart };
}

/** Lines in a gzip object, read as a stream. */
async function countLines(body: ReadableStream<Uint8Array>): Promise<number> {
  let lines = 0;
  for await (const chunk of body.pipeThrough(new DecompressionStream("gzip")))
    for (const byte of chunk) if (byte === 10) lines++;
  return lines;
}

it("archives a day of many parts whole, holding one part at a time, before deleting a row", async () => {
  const ledger = bigDay();
  const { bucket, readAtPart } = watched(ledger);
  const now = chinaDayStart(addDays(DAY, RETENTION + 1));
  await retire(ledger, bucket, ACCOUNT, RETENTION, now);
  const stored = await env.LEDGER_ARCHIVE.get(archiveKey(ACCOUNT, DAY));
  const lines = stored ? await countLines(stored.body) : null;
  expect({
    record: ledger.record,
    parts: Math.ceil((stored?.size ?? 0) / PART_BYTES),
    // Every part but the last leaves while the day is still being read: memory holds a part, never the day.
    readAtPart,
    lines,
    deleted: ledger.deleted,
  }).toEqual({
    record: [
      { day: DAY, key: archiveKey(ACCOUNT, DAY), rows: ROWS, bytes: stored?.size, parts: expect.any(Number), at: now },
    ],
    parts: expect.toSatisfy((n: number) => n >= 3),
    readAtPart: expect.toSatisfy((read: number[]) => read.length >= 3 && read.slice(0, -1).every((r) => r < ROWS)),
    lines: ROWS,
    deleted: 1_000,
  });
}, 60_000);
