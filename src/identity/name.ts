// The caller's real name (docs/contract.md §1): Chinese with `·` for minority names, or Latin
// letters and spaces, 2–30 characters after normalisation. Anything else is `306 userName`. The
// normalised name is the one validated, fingerprinted and sent upstream, so one person written
// two ways (full-width Latin, a Kangxi radical for its ideograph) is one person.
import { badParam, type Outcome, ok } from "../wire/outcome.ts";

const MIDDLE_DOT = "·"; // U+00B7, the form used on Chinese ID cards for minority names
// Dots that look the same and that input methods produce instead of U+00B7: • ・ ． ‧ ･.
// ASCII "." is deliberately not among them: it is punctuation, not part of any name. They are
// replaced before NFKC, which would turn ． into that ASCII "." (and ･ into ・; · and ・ it keeps).
const DOT_VARIANTS = /[\u2022\u30FB\uFF0E\u2027\uFF65]/g;

const HAN_NAME = /^\p{Script=Han}+(?:·\p{Script=Han}+)*$/u;
// Letters only: Script=Latin alone would also admit the Roman numerals NFKC leaves alone, such as "ↀ".
const LATIN_WORD = String.raw`(?:(?=\p{L})\p{Script=Latin})+`;
const LATIN_NAME = new RegExp(`^${LATIN_WORD}(?: ${LATIN_WORD})*$`, "u");

const MIN_LENGTH = 2;
const MAX_LENGTH = 30;

export function parseUserName(raw: string): Outcome<string> {
  // NFKC composes an accent typed as a combining mark with its letter, and maps compatibility
  // forms (full-width Latin and spaces, radicals and compatibility ideographs) to the usual ones.
  const name = raw.replace(DOT_VARIANTS, MIDDLE_DOT).normalize("NFKC").trim().replace(/\s+/g, " ");
  const length = [...name].length; // code points, so Extension B ideographs count once
  if (length < MIN_LENGTH || length > MAX_LENGTH) return badParam("userName");
  return HAN_NAME.test(name) || LATIN_NAME.test(name) ? ok(name) : badParam("userName");
}
