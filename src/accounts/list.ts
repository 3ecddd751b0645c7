// Account records a page at a time, for the operator (the console's list, the expiring scan).
// KV counts every read against an invocation's 1 000 operations: a page reads at most `budget`
// records and says where to go on.
import { AccountRecord } from "./record.ts";

const PREFIX = "account:";

export type RecordPage = { readonly records: AccountRecord[]; readonly next: string | null };

/**
 * Records in id order from `cursor` that `keep` accepts, until `limit` are kept or `budget`
 * records were read. `next` is the KV list cursor to continue from, null at the end.
 */
export async function listRecords(
  kv: KVNamespace,
  options: { cursor: string | null; limit: number; budget: number; keep?: (record: AccountRecord) => boolean },
): Promise<RecordPage> {
  const records: AccountRecord[] = [];
  let cursor = options.cursor;
  let read = 0;
  for (;;) {
    // Never more keys than records still wanted: a page that kept them all must not pass over any
    // (a KV cursor cannot resume inside a page).
    const room = Math.min(1_000, options.budget - read, options.limit - records.length);
    const listed = await kv.list({ prefix: PREFIX, limit: room, ...(cursor ? { cursor } : {}) });
    const values = await Promise.all(listed.keys.map((key) => kv.get(key.name, "json").catch(() => null)));
    read += listed.keys.length;
    for (const value of values) {
      const parsed = AccountRecord.safeParse(value);
      if (parsed.success && (options.keep?.(parsed.data) ?? true)) records.push(parsed.data);
    }
    cursor = listed.list_complete ? null : listed.cursor;
    if (cursor === null || records.length >= options.limit || read >= options.budget) return { records, next: cursor };
  }
}
