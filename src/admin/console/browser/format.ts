// Numbers, money and China days as the operator reads them.

export const DAY_MS = 86_400_000;
const CHINA_MS = 8 * 3_600_000;

export const chinaDay = (ms: number) => new Date(ms + CHINA_MS).toISOString().slice(0, 10);
export const chinaTime = (ms: number) => new Date(ms + CHINA_MS).toISOString().slice(0, 19).replace("T", " ");

export function yuan(fen: number): string {
  const text = (Math.abs(fen) / 100).toFixed(2).replace(/\B(?=(\d{3})+\.)/g, ",");
  return `${fen < 0 ? "-" : ""}¥${text}`;
}

export const count = (n: number) => n.toLocaleString("en-US");

/** Every day from..to (at most 400). */
export function days(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 400; t += DAY_MS)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
