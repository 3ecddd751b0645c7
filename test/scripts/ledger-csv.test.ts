// The account command renders the ledger's CSV itself (scripts/account/ledger-csv.ts): its columns
// must be exactly the fields of the rows the Worker's /admin API lists.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { chinaIsoTime, ledgerCsv } from "../../scripts/account/ledger-csv.ts";
import { LEDGER_COLUMNS } from "../../src/admin/columns.ts";
import { LEDGER_FLUSH_MS } from "../../src/billing/ledger-buffer.ts";
import { chinaDay } from "../../src/platform/time.ts";
import { SANDBOX_PEOPLE } from "../../src/sandbox/identities.ts";
import { createAccount, verify } from "../support/caller.ts";

const ADMIN = "test-admin-token-0123456789abcdef-0123";
const [zhang] = SANDBOX_PEOPLE;

describe("the account command's ledger CSV", () => {
  it("has a column for each field of the Worker's ledger rows, in their order", async () => {
    const account = await createAccount();
    await verify(account, { idCard: zhang.idCard, userName: zhang.name, loginphone: zhang.phone });
    await new Promise((r) => setTimeout(r, LEDGER_FLUSH_MS + 50)); // the ledger rows are written in the background
    const today = chinaDay(Date.now());
    const response = await exports.default.fetch(
      new Request(`http://gateway.test/admin/accounts/${account.record.id}/ledger?from=${today}&to=${today}`, {
        headers: { Authorization: `Bearer ${ADMIN}` },
      }),
    );
    const { rows } = (await response.json()) as { rows: Record<string, unknown>[] };
    expect(rows.map((row) => Object.keys(row))).toEqual([[...LEDGER_COLUMNS]]);
    expect(ledgerCsv(rows).split("\r\n")[1]).toMatch(
      /^VM\d+[0-9a-f]*,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00,\d+,verifyMobile,200,/,
    );
  });

  it("writes the time as ISO 8601 in China time, the epoch beside it", () => {
    expect(chinaIsoTime(Date.UTC(2026, 10, 26, 1, 45, 1, 123))).toBe("2026-11-26T09:45:01.123+08:00");
    expect(chinaIsoTime(Date.UTC(2026, 11, 31, 16, 0, 0, 0))).toBe("2027-01-01T00:00:00.000+08:00");
  });
});
