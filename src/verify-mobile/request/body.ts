// Reading the caller's body (CONTRACT.md §1): three encodings, a 64 KiB cap enforced while
// reading, and nothing trusted until parsed.
import { fail, ok, type Outcome } from "../../wire/outcome.ts";

export const MAX_BODY_BYTES = 64 * 1024;

export type BodyKind = "form" | "multipart" | "json";

const KINDS: Record<string, BodyKind> = {
  "application/x-www-form-urlencoded": "form",
  "multipart/form-data": "multipart",
  "application/json": "json",
};

/** Field name → value as sent; a non-string value (JSON number, uploaded file) is kept as `unknown`. */
export type RawFields = ReadonlyMap<string, unknown>;

const TOO_LARGE = "请求体超过64KiB";
const text = new TextDecoder();

export function bodyKind(contentType: string | null): BodyKind | null {
  const media = contentType?.split(";", 1)[0]?.trim().toLowerCase();
  return (media && KINDS[media]) || null;
}

/** The body's bytes, refusing to read past the cap (a declared or a streamed length). */
async function readCapped(request: Request): Promise<Outcome<Uint8Array>> {
  const length = request.headers.get("Content-Length");
  const declared = length === null ? NaN : Number(length);
  if (declared > MAX_BODY_BYTES) return fail("315", TOO_LARGE);
  if (!request.body) return ok(new Uint8Array(0));
  // A declared length within the cap is enforced by the runtime: read it in one go.
  if (declared >= 0) return ok(new Uint8Array(await request.arrayBuffer()));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return fail("315", TOO_LARGE);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return ok(bytes);
}

export async function readFields(request: Request): Promise<Outcome<RawFields>> {
  const contentType = request.headers.get("Content-Type");
  const kind = bodyKind(contentType);
  if (!kind) return fail("315", "Content-Type须为application/x-www-form-urlencoded、multipart/form-data或application/json");
  const body = await readCapped(request);
  if (!body.ok) return body;
  switch (kind) {
    case "form":
      return ok(new Map(new URLSearchParams(text.decode(body.value))));
    case "multipart":
      if (!/;\s*boundary=/i.test(contentType!)) return fail("315", "multipart/form-data缺少boundary");
      try {
        const form = await new Response(body.value, { headers: { "Content-Type": contentType! } }).formData();
        return ok(new Map(form.entries()));
      } catch {
        return fail("301", "multipart请求体无法解析");
      }
    case "json":
      try {
        const value: unknown = JSON.parse(text.decode(body.value));
        if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("301", "JSON请求体须为对象");
        return ok(new Map(Object.entries(value)));
      } catch {
        return fail("301", "请求体不是有效的JSON");
      }
    default:
      return kind satisfies never;
  }
}
