// Pre-auth inputs built to make parsing expensive (issue 8: long `=` runs, whitespace runs,
// alternating characters), each a form body with token `x` filling the 64 KiB body cap, and the
// normal-sized `306` they are measured against. Bench copy of the attack-surface corpus; the
// worker must answer every one without a token check, decryption or upstream call.
import { MAX_BODY_BYTES } from "../src/verify-mobile/request/body.ts";

export type Input = { readonly name: string; readonly body: string };

const PREFIX = "token=x&iv=abcdefghijklmnop&logon=";

/** A body of exactly the cap: the prefix, `unit` repeated, then `tail`. */
function filling(name: string, unit: string, tail = "A"): Input {
  const room = MAX_BODY_BYTES - PREFIX.length - tail.length;
  return { name, body: PREFIX + unit.repeat(Math.floor(room / unit.length)) + tail };
}

/** A normal request that fails parameter checks: a logon of a usual length, an iv one short. */
export const TYPICAL: Input = {
  name: "typical 306 (normal size, 15-character iv)",
  body: `token=x&iv=abcdefghijklmno&logon=${"QUJD".repeat(38)}`,
};

export const ADVERSARIAL: readonly Input[] = [
  filling("'=' run", "="),
  filling("'%3D' run (encoded '=')", "%3D"),
  filling("space run ('+')", "+"),
  filling("tab/newline run", "%09%0A"),
  filling("alternating '= '", "=+"),
  filling("alternating 'A='", "A="),
  filling("alternating 'A '", "A+"),
  filling("base64 alphabet run", "AAAA"),
  filling("'=' run, no tail", "=", ""),
  { name: "empty fields", body: `${PREFIX}A${"&".repeat(MAX_BODY_BYTES - PREFIX.length - 1)}` },
];
