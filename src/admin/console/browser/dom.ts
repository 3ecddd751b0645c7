// The page's elements, looked up by id and typed; a missing one is a bug in the markup (console/markup.ts).

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

export const inputValue = (id: string) => byId<HTMLInputElement>(id).value.trim();

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string | number | null,
  className?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined && text !== null) element.textContent = String(text);
  if (className) element.className = className;
  return element;
}

const SVG = "http://www.w3.org/2000/svg";

export function svg(tag: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** A table row of cells; a cell is text, or [text, class]. */
export function row(cells: readonly (string | number | readonly [string | number, string])[]): HTMLTableRowElement {
  const tr = el("tr");
  for (const cell of cells) tr.append(typeof cell === "object" ? el("td", cell[0], cell[1]) : el("td", cell));
  return tr;
}

/** A row with one cell across the table, for "nothing here". */
export function emptyRow(text: string, columns: number): HTMLTableRowElement {
  const td = el("td", text, "muted");
  td.colSpan = columns;
  const tr = el("tr");
  tr.append(td);
  return tr;
}

export function say(id: string, text: string, kind: "muted" | "ok" | "bad" = "muted"): void {
  const element = byId(id);
  element.textContent = text;
  element.className = kind;
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
