// The lenient base64 decoder (docs/contract.md §1) against the platform's own atob, on the forms
// callers really send and on random text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromLenientBase64, toBase64 } from "../../src/crypto/bytes.ts";

/** The rule spelled with atob: line breaks out, trailing padding and spaces off, space → +, URL-safe → standard. */
function viaAtob(text: string): Uint8Array | null {
  let end = text.length;
  while (end > 0 && " =\t\r\n".includes(text[end - 1]!)) end--;
  const tail = text.slice(end);
  // Trailing spaces are padding's company only after an `=`; without one they stand for `+`.
  const body = (tail.includes("=") ? text.slice(0, end) + tail.slice(0, tail.indexOf("=")) : text).replace(
    /[\t\r\n]/g,
    "",
  );
  const standard = body.replaceAll(" ", "+").replaceAll("-", "+").replaceAll("_", "/");
  if (!/^[A-Za-z0-9+/]*$/.test(standard)) return null;
  try {
    return Uint8Array.from(atob(standard), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

const bytesOf = (...values: number[]) => Uint8Array.from(values);

describe("fromLenientBase64", () => {
  it.each([
    ["standard with padding", "AAECAwQFBgcICQoLDA0ODw==", bytesOf(...Array.from({ length: 16 }, (_, i) => i))],
    ["padding left off", "AAECAwQFBgcICQoLDA0ODw", bytesOf(...Array.from({ length: 16 }, (_, i) => i))],
    ["one padding character", "AAE=", bytesOf(0, 1)],
    ["URL-safe - and _", "-_-_", bytesOf(0xfb, 0xff, 0xbf)],
    ["spaces read as +", "    ", bytesOf(0xfb, 0xef, 0xbe)],
    ["line breaks and tabs ignored", "AA\r\nEC\tAw\n==", bytesOf(0, 1, 2, 3)],
    ["spaces and line breaks after the padding", "AAE= =\r\n  ", bytesOf(0, 1)],
    ["many = at the end", "AAE=======", bytesOf(0, 1)],
    ["nothing", "", bytesOf()],
    ["only padding", "====", bytesOf()],
  ])("decodes %s", (_label, text, bytes) => {
    expect(fromLenientBase64(text)).toEqual(bytes);
  });

  it.each([
    ["= before the end", "AA=A"],
    ["= in the middle of groups", "AA==AAAA"],
    ["a character after padding and a space", "AAE= A"],
    ["one character too many (6 bits)", "AAAAA"],
    ["a character outside the alphabet", "AA*A"],
    ["a dot", "AA.A"],
    ["a non-ASCII letter", "AAÄA"],
    ["a full-width letter", "AAＡA"],
    ["a form feed", "AA\fA"],
  ])("refuses %s", (_label, text) => {
    expect(fromLenientBase64(text)).toBeNull();
  });

  it("gives back any bytes from their base64, however a caller mangles it", () => {
    const mangled = fc.record({
      bytes: fc.uint8Array({ maxLength: 200 }),
      urlSafe: fc.boolean(),
      unpadded: fc.boolean(),
      plusAsSpace: fc.boolean(),
      lineEvery: fc.integer({ min: 0, max: 80 }),
      trailing: fc.constantFrom("", " ", "\r\n", " \n "),
    });
    fc.assert(
      fc.property(mangled, ({ bytes, urlSafe, unpadded, plusAsSpace, lineEvery, trailing }) => {
        let text = toBase64(bytes);
        if (unpadded) text = text.replace(/=+$/, "");
        if (urlSafe) text = text.replaceAll("+", "-").replaceAll("/", "_");
        if (plusAsSpace) text = text.replaceAll("+", " ");
        if (lineEvery > 0) text = text.replace(new RegExp(`(.{${lineEvery}})`, "g"), "$1\r\n");
        if (text.endsWith("=")) text += trailing;
        expect(fromLenientBase64(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("agrees with atob on random text over the base64 characters and a few others", () => {
    const char = fc.constantFrom(..."ABCXYZabcxyz0189+/-_= \t\r\n*.é".split(""));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const text = chars.join("");
        expect(fromLenientBase64(text)).toEqual(viaAtob(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it("agrees with atob on random base64 with random padding and whitespace around its end", () => {
    const text = fc
      .tuple(fc.uint8Array({ maxLength: 64 }), fc.stringMatching(/^[= \t\r\n]{0,6}$/))
      .map(([bytes, end]) => toBase64(bytes).replace(/=+$/, "") + end);
    fc.assert(
      fc.property(text, (t) => {
        expect(fromLenientBase64(t)).toEqual(viaAtob(t));
      }),
      { numRuns: 2_000 },
    );
  });
});
