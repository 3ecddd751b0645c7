// `npm run demo [-- --url http://127.0.0.1:8787] [--name 张三 --id-card ... --phone ...]`
// [--token T --logon-key K]: one verification as a real caller makes it, by default with the demo
// account (see demo-account.ts), the
// logon encrypted by Node's own crypto (independent of the Worker's WebCrypto code).
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { SANDBOX_PEOPLE } from "../src/sandbox/identities.ts";
import { ORDER_HEADER } from "../src/wire/envelope.ts";
import { DEMO } from "./demo-account.ts";
import { encryptLogon } from "./lib/logon.ts";

const PATH = "/api/personalInfo/verifyMobile";
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export const newIv = () => Array.from({ length: 16 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join("");

function fail(message: string): never {
  process.stderr.write(`${JSON.stringify({ error: message })}\n`);
  process.exit(1);
}

async function main() {
  const person = SANDBOX_PEOPLE[0];
  let values: Record<"url" | "name" | "id-card" | "phone" | "token" | "logon-key", string>;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: "string", default: "http://127.0.0.1:8787" },
        name: { type: "string", default: person.name },
        "id-card": { type: "string", default: person.idCard },
        phone: { type: "string", default: person.phone },
        token: { type: "string", default: DEMO.token },
        "logon-key": { type: "string", default: DEMO.logonKey },
      },
    }));
  } catch (e) {
    fail(
      `${e instanceof Error ? e.message : String(e)}; usage: npm run demo -- [--url URL] [--name NAME --id-card ID --phone PHONE] [--token TOKEN --logon-key KEY]`,
    );
  }
  let url: URL;
  try {
    url = new URL(PATH, values.url);
  } catch {
    fail(`--url must be a URL such as http://127.0.0.1:8787`);
  }
  const iv = newIv();
  const logon = encryptLogon(values["logon-key"], iv, {
    idCard: values["id-card"],
    userName: values.name,
    loginphone: values.phone,
  });
  const body = new URLSearchParams({ token: values.token, iv, logon });
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", body, signal: AbortSignal.timeout(70_000) });
  } catch (e) {
    const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    fail(`could not reach ${url.origin} (${cause}): is \`npm run dev\` running there?`);
  }
  const text = await response.text();
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    fail(`HTTP ${response.status} from ${url.href} was not JSON: ${text.slice(0, 200)}`);
  }
  console.error(
    `POST ${url.href} as ${values.token === DEMO.token ? DEMO.accountId : "the given token"} (HTTP ${response.status}, order ${response.headers.get(ORDER_HEADER) ?? "-"})`,
  );
  console.log(JSON.stringify(envelope, null, 2));
}

await main();
