// Ledger detail rows past their retention (docs/contract.md §8) go to R2 before they leave the
// account's object: one gzip NDJSON object per account per China day, written whole and checked,
// and only then are the day's rows deleted, a small batch per alarm run.
import { utf8 } from "../crypto/bytes.ts";
import { addDays, chinaDay, chinaDayStart } from "../platform/time.ts";
import type { Ledger } from "./ledger.ts";

/** The most detail rows one alarm run deletes: each run stays short and requests go on between runs. */
export const RETIRE_BATCH = 1_000;

/** Detail rows read per query while a day is written to the archive. */
const ARCHIVE_PAGE = 1_000;

export const archiveKey = (accountId: string, day: string) => `ledger/${accountId}/${day}.ndjson.gz`;

/** When the rows of China day `day` fall out of retention: days before `today - retentionDays` are retired. */
export const retiresAt = (day: string, retentionDays: number) => chinaDayStart(addDays(day, retentionDays + 1));

/**
 * One alarm run's share of retirement: the oldest expired day goes to the archive whole (unless
 * it is there already), then up to RETIRE_BATCH of its rows are deleted. True when expired rows remain.
 */
export async function retire(
  ledger: Ledger,
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
    ledger.archived({ day, ...(await writeArchive(ledger, bucket, accountId, day)), at: now });
  }
  ledger.deleteArchived(day, RETIRE_BATCH);
  const next = ledger.oldestDay();
  return next !== null && next < keptFrom;
}

/** Writes every row of `day` as one gzip NDJSON object; throws unless R2 holds exactly what was sent. */
async function writeArchive(
  ledger: Ledger,
  bucket: R2Bucket,
  accountId: string,
  day: string,
): Promise<{ key: string; rows: number; bytes: number }> {
  const key = archiveKey(accountId, day);
  const gzip = new CompressionStream("gzip");
  const compressed = new Response(gzip.readable).arrayBuffer();
  const writer = gzip.writable.getWriter();
  // Page by page, so a busy day never sits in memory uncompressed.
  let rows = 0;
  for (let page = ledger.rows(day, day, ARCHIVE_PAGE, null); page.length > 0; ) {
    await writer.write(utf8.encode(page.map((row) => `${JSON.stringify(row)}\n`).join("")));
    rows += page.length;
    const last = page[page.length - 1]!;
    page = ledger.rows(day, day, ARCHIVE_PAGE, { at: last.at, orderNo: last.orderNo });
  }
  await writer.close();
  const body = new Uint8Array(await compressed);
  // R2 checks the digest on arrival; the head proves the object is there, whole.
  await bucket.put(key, body, {
    sha256: await crypto.subtle.digest("SHA-256", body),
    httpMetadata: { contentType: "application/gzip" },
    customMetadata: { rows: String(rows) },
  });
  const stored = await bucket.head(key);
  if (stored?.size !== body.byteLength || stored.customMetadata?.rows !== String(rows))
    throw new Error(`archive ${key} not found whole after writing`);
  return { key, rows, bytes: body.byteLength };
}
