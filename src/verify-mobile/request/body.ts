// Reading the caller's body (docs/contract.md §1): three encodings, a 64 KiB cap enforced while
// reading, a deadline for the whole read, and nothing trusted until parsed.
import { fail, type Outcome, ok } from "../../wire/outcome.ts";

export const MAX_BODY_BYTES = 64 * 1024;
/** The whole body must arrive within this time, so a trickling client cannot hold a request open. */
export const BODY_DEADLINE_MS = 10_000;

export type BodyKind = "form" | "multipart" | "json";

const KINDS: Record<string, BodyKind> = {
  "application/x-www-form-urlencoded": "form",
  "multipart/form-data": "multipart",
  "application/json": "json",
};

/**
 * A field's value as sent (the last one when repeated), undefined or null when absent; a non-string
 * value (JSON number, uploaded file) is kept as `unknown`. Looked up by name, never enumerated: a
 * body of 30 000 empty fields must cost no more than its parsing (docs/contract.md §1).
 */
export type RawFields = { get(name: string): unknown };

/** The last value of a name in form or multipart fields (as a Map built from them would hold). */
const lastOf = (fields: URLSearchParams | FormData): RawFields => ({ get: (name) => fields.getAll(name).at(-1) });

const TOO_LARGE = "请求体超过64KiB";
const TOO_SLOW = `请求体读取超时（${BODY_DEADLINE_MS / 1000}秒）`;
const text = new TextDecoder();

export function bodyKind(contentType: string | null): BodyKind | null {
  const media = contentType?.split(";", 1)[0]?.trim().toLowerCase();
  return (media && KINDS[media]) || null;
}

/** The body's bytes, refusing to read past the cap (a declared or a streamed length) or past the deadline. */
async function readCapped(request: Request, deadlineMs: number): Promise<Outcome<Uint8Array>> {
  const length = request.headers.get("Content-Length");
  const declared = length === null ? NaN : Number(length);
  if (declared > MAX_BODY_BYTES) return fail("315", TOO_LARGE);
  if (!request.body) return ok(new Uint8Array(0));
  const reader = request.body.getReader();
  // This request's own timer: nothing here is shared with another request.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), deadlineMs);
  });
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const chunk = await Promise.race([reader.read(), expired]);
      if (chunk === null) {
        void reader.cancel().catch(() => undefined); // a stalled source may never settle its cancel
        return fail("315", TOO_SLOW);
      }
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        return fail("315", TOO_LARGE);
      }
      chunks.push(chunk.value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    return ok(bytes);
  } finally {
    clearTimeout(timer);
  }
}

/** At most this many fields in a form body (docs/contract.md §1). */
export const MAX_FORM_FIELDS = 64;
const TOO_MANY_FIELDS = `表单字段过多：最多${MAX_FORM_FIELDS}个`;

/** Whether `form` has more than `max` `&`-separated fields; stops counting at the first one over. */
function fieldCountOver(form: string, max: number): boolean {
  let fields = 1;
  for (let at = form.indexOf("&"); at !== -1; at = form.indexOf("&", at + 1)) if (++fields > max) return true;
  return false;
}

/** The body's fields; `deadlineMs` is the time allowed for reading it (a parameter so tests need not wait 10 s). */
export async function readFields(request: Request, deadlineMs = BODY_DEADLINE_MS): Promise<Outcome<RawFields>> {
  const contentType = request.headers.get("Content-Type");
  const kind = bodyKind(contentType);
  if (!kind)
    return fail("315", "Content-Type须为application/x-www-form-urlencoded、multipart/form-data或application/json");
  const body = await readCapped(request, deadlineMs);
  if (!body.ok) return body;
  switch (kind) {
    case "form": {
      const form = text.decode(body.value);
      // A caller sends a handful of fields; tens of thousands of empty ones only cost CPU to list.
      if (fieldCountOver(form, MAX_FORM_FIELDS)) return fail("315", TOO_MANY_FIELDS);
      return ok(lastOf(new URLSearchParams(form)));
    }
    case "multipart":
      if (!/;\s*boundary=/i.test(contentType!)) return fail("315", "multipart/form-data缺少boundary");
      try {
        return ok(lastOf(await new Response(body.value, { headers: { "Content-Type": contentType! } }).formData()));
      } catch {
        return fail("301", "multipart请求体无法解析");
      }
    case "json":
      try {
        const value: unknown = JSON.parse(text.decode(body.value));
        if (typeof value !== "object" || value === null || Array.isArray(value))
          return fail("301", "JSON请求体须为对象");
        const object = value as Record<string, unknown>;
        return ok({ get: (name) => (Object.hasOwn(object, name) ? object[name] : undefined) });
      } catch {
        return fail("301", "请求体不是有效的JSON");
      }
    default:
      return kind satisfies never;
  }
}
