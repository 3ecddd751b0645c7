// The one way the page talks to the Worker: same-origin fetches under /admin with the token as a
// header. The token lives in this module's variable only: never a URL, cookie or storage.

let token: string | null = null;

export const setToken = (value: string | null) => {
  token = value;
};
export const hasToken = () => token !== null;

export type Body = Record<string, unknown>;

/** The answer's text; a refusal becomes an Error saying the status and the Worker's complaint. */
export async function api(path: string, init: { method: "POST"; body: Body } | null = null): Promise<string> {
  if (token === null) throw new Error("先粘贴管理令牌 paste the admin token first");
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (init) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method: init?.method ?? "GET",
    body: init ? JSON.stringify(init.body) : null,
    headers,
    cache: "no-store",
    credentials: "omit",
    referrerPolicy: "no-referrer",
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 200);
    try {
      const error = (JSON.parse(text) as { error?: unknown }).error;
      if (typeof error === "string") message = error;
    } catch {
      // Not JSON: the text itself.
    }
    throw new Error(response.status === 401 ? "401 令牌无效 the token was refused" : `${response.status} ${message}`);
  }
  return text;
}

export const apiJson = async <T>(path: string, init: { method: "POST"; body: Body } | null = null) =>
  JSON.parse(await api(path, init)) as T;

/** Saves text as a file the browser downloads. */
export function download(text: string, name: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
