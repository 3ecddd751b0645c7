// The decrypted `logon` object → an Identity (docs/contract.md §1). Every `306` (shape) of any
// field comes before a `310` (validity): a caller fixes format errors first, then data errors.
import * as z from "zod/mini";
import type { LogonObject } from "../crypto/logon.ts";
import type { ParamName } from "../wire/codes.ts";
import { badParam, type Outcome, ok } from "../wire/outcome.ts";
import { idCardShape, idCardValidity } from "./idcard.ts";
import type { Identity } from "./identity.ts";
import { parseUserName } from "./name.ts";
import { parsePhone } from "./phone.ts";

const NonEmptyString = z.string().check(z.minLength(1));
// Many callers send numbers as JSON numbers; only safe integers keep all their digits.
const StringOrInteger = z.union([NonEmptyString, z.pipe(z.int(), z.transform(String))]);

/** The identity in a decrypted logon (decryption already refused anything but a JSON object; unknown keys are ignored). */
export function parseLogonFields(fields: LogonObject, now: Date): Outcome<Identity> {
  const idCardRaw = field(StringOrInteger, fields.idCard, "idCard");
  if (!idCardRaw.ok) return idCardRaw;
  const idCard = idCardShape(idCardRaw.value);
  if (!idCard.ok) return idCard;

  const userNameRaw = field(NonEmptyString, fields.userName, "userName");
  if (!userNameRaw.ok) return userNameRaw;
  const userName = parseUserName(userNameRaw.value);
  if (!userName.ok) return userName;

  const phoneRaw = field(StringOrInteger, fields.loginphone, "loginphone");
  if (!phoneRaw.ok) return phoneRaw;
  const loginphone = parsePhone(phoneRaw.value);
  if (!loginphone.ok) return loginphone;

  const validId = idCardValidity(idCard.value, now);
  if (!validId.ok) return validId;
  return ok({ idCard: validId.value, userName: userName.value, loginphone: loginphone.value });
}

function field(schema: z.ZodMiniType<string, unknown>, value: unknown, param: ParamName): Outcome<string> {
  const parsed = schema.safeParse(value);
  return parsed.success ? ok(parsed.data) : badParam(param);
}
