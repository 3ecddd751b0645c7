// Ledger detail rows past their retention (docs/contract.md §8) go to R2 before they leave the
// account's object: one gzip NDJSON object per account per China day, uploaded in parts of a fixed
// size as the rows are read page by page, so however big a day is, the object holds at most one
// part and one page of it in memory; only once R2 holds the whole object are the day's rows
// deleted, a small batch per alarm run.
import { utf8 } from "../crypto/bytes.ts";
import { addDays, chinaDay, chinaDayStart } from "../platform/time.ts";
import type { Ledger } from "./ledger.ts";
import type { LedgerEntry } from "./types.ts";

/** The most detail rows one alarm run deletes: each run stays short and requests go on between runs. */
export const RETIRE_BATCH = 1_000;

/** Detail rows read per query while a day is written to the archive. */
const ARCHIVE_PAGE = 1_000;

/** Every part but the last has this size: R2's minimum part size (its parts must be alike but the last). */
export const PART_BYTES = 5 * 1024 * 1024;

export const archiveKey = (accountId: string, day: string) => `ledger/${accountId}/${day}.ndjson.gz`;

/** When the rows of China day `day` fall out of retention: days before `today - retentionDays` are retired. */
export const retiresAt = (day: string, retentionDays: number) => chinaDayStart(addDays(day, retentionDays + 1));

/** What retirement needs of the ledger. */
export type ArchivedLedger = Pick<
  Ledger,
  "oldestDay" | "isArchived" | "archived" | "deleteArchived" | "rows" | "countDay"
>;

/**
 * One alarm run's share of retirement: the oldest expired day goes to the archive whole (unless
 * it is there already), then up to RETIRE_BATCH of its rows are deleted. True when expired rows remain.
 */
export async function retire(
  ledger: ArchivedLedger,
  bucket: R2Bucket,
  accountId: string | undefined,
  retentionDays: number,
  now: number,
): Promise<boolean> {
  const keptFrom = addDays(chinaDay(now), -retentionDays);
  const day = ledger.oldestDay();
  if (day === null || day >= keptFrom) return false;
  if (!ledger.isArchived(day)) {
    if (accountId === undefined) throw new Error("the object has no name: archives are keyed by account id");
    const key = archiveKey(accountId, day);
    ledger.archived({
      day,
      key,
      ...(await writeArchive(bucket, key, ledger.countDay(day), pages(ledger, day))),
      at: now,
    });
  }
  ledger.deleteArchived(day, RETIRE_BATCH);
  const next = ledger.oldestDay();
  return next !== null && next < keptFrom;
}

/** The rows of `day`, page by page, in (time, order number) order. */
function* pages(ledger: ArchivedLedger, day: string): Generator<LedgerEntry[]> {
  for (let page = ledger.rows(day, day, ARCHIVE_PAGE, null); page.length > 0; ) {
    yield page;
    const last = page[page.length - 1]!;
    page = ledger.rows(day, day, ARCHIVE_PAGE, { at: last.at, orderNo: last.orderNo });
  }
}

/**
 * Writes `rows` rows as one gzip NDJSON object at `key`, a multipart upload of PART_BYTES parts cut
 * from the compressed stream as it comes; throws (the upload aborted) unless every row was written
 * and R2 holds an object of exactly the bytes sent.
 */
export async function writeArchive(
  bucket: R2Bucket,
  key: string,
  rows: number,
  source: Iterable<readonly LedgerEntry[]>,
): Promise<{ rows: number; bytes: number; parts: number }> {
  const upload = await bucket.createMultipartUpload(key, {
    httpMetadata: { contentType: "application/gzip" },
    customMetadata: { rows: String(rows) },
  });
  try {
    const gzip = new CompressionStream("gzip");
    const busy: Busy = { uploading: null };
    const [written, uploaded] = await Promise.all([
      compress(gzip.writable, source, busy),
      uploadParts(gzip.readable, upload, busy),
    ]);
    if (written !== rows) throw new Error(`archive ${key}: ${written} rows read, ${rows} counted`);
    await upload.complete(uploaded.parts);
    const stored = await bucket.head(key);
    if (stored?.size !== uploaded.bytes || stored.customMetadata?.rows !== String(rows))
      throw new Error(`archive ${key} not found whole after writing`);
    return { rows, bytes: uploaded.bytes, parts: uploaded.parts.length };
  } catch (error) {
    await upload.abort().catch(() => {});
    throw error;
  }
}

/** The part upload in progress, if any: the compressor waits for it, so output never piles up behind it. */
type Busy = { uploading: Promise<R2UploadedPart> | null };

/**
 * Feeds the rows to the compressor as NDJSON, page by page. A stream's write resolves before its
 * output is read, so the pace is set here: each page waits for the part upload in progress and
 * then lets the compressor's output be read before the next.
 */
async function compress(
  sink: WritableStream<BufferSource>,
  source: Iterable<readonly LedgerEntry[]>,
  busy: Busy,
): Promise<number> {
  const writer = sink.getWriter();
  let rows = 0;
  try {
    for (const page of source) {
      if (busy.uploading) await busy.uploading;
      await writer.write(utf8.encode(page.map((row) => `${JSON.stringify(row)}\n`).join("")));
      rows += page.length;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await writer.close();
  } catch (error) {
    await writer.abort(error).catch(() => {});
    throw error;
  }
  return rows;
}

/** Cuts the compressed stream into PART_BYTES parts and uploads each as soon as it is full; the rest is the last part. */
async function uploadParts(
  compressed: ReadableStream<Uint8Array>,
  upload: R2MultipartUpload,
  busy: Busy,
): Promise<{ parts: R2UploadedPart[]; bytes: number }> {
  const parts: R2UploadedPart[] = [];
  const part = new Uint8Array(PART_BYTES);
  let filled = 0;
  let bytes = 0;
  for await (const chunk of compressed) {
    for (let used = 0; used < chunk.byteLength; ) {
      const taken = Math.min(PART_BYTES - filled, chunk.byteLength - used);
      part.set(chunk.subarray(used, used + taken), filled);
      filled += taken;
      used += taken;
      if (filled === PART_BYTES) {
        busy.uploading = upload.uploadPart(parts.length + 1, part.slice());
        parts.push(await busy.uploading);
        busy.uploading = null;
        bytes += filled;
        filled = 0;
      }
    }
  }
  if (filled > 0 || parts.length === 0) {
    parts.push(await upload.uploadPart(parts.length + 1, part.slice(0, filled)));
    bytes += filled;
  }
  return { parts, bytes };
}
