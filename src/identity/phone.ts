// The mainland mobile number (docs/contract.md §1). Segments are not checked: numbers move
// between carriers, and the upstream says when it cannot answer.
import { badParam, type Outcome, ok } from "../wire/outcome.ts";

const SEPARATORS = /[\s-]/g;
const COUNTRY_PREFIX = /^\+?86(\d{11})$/;
const MOBILE = /^1[3-9]\d{9}$/;

export function parsePhone(raw: string): Outcome<string> {
  const compact = raw.replace(SEPARATORS, "");
  // Drop +86/86 only when 11 digits follow, so a bare number starting "86" is never cut.
  const national = COUNTRY_PREFIX.exec(compact)?.[1] ?? compact;
  return MOBILE.test(national) ? ok(national) : badParam("loginphone");
}
