// The Tencent adapter (docs/contract.md §5): FaceID `PhoneVerification`, a TC3-HMAC-SHA256 signed
// JSON POST. The fetcher is handed in: the network, or the sandbox twin.
import type { Identity } from "../../identity/identity.ts";
import { exchange, network, transportReply } from "../transport.ts";
import type { Query } from "../upstream.ts";
import { interpretTencentBody } from "./response.ts";
import { tencentHeaders } from "./sign.ts";

export type TencentOptions = {
  readonly baseUrl: string;
  readonly secretId: string;
  readonly secretKey: string;
};

export const TENCENT_SERVICE = "faceid";
export const PHONE_VERIFICATION = { action: "PhoneVerification", version: "2018-03-01" } as const;

export function tencentQuery(options: TencentOptions, fetcher: typeof fetch = network): Query {
  const { baseUrl, secretId, secretKey } = options;
  const url = `${baseUrl}/`;
  // The host the request goes to is the one signed: a port, if any, included.
  const host = new URL(url).host;
  return async (identity, timeoutMs) => {
    const started = Date.now();
    const payload = requestBody(identity);
    const timestamp = Math.floor(Date.now() / 1000);
    // fetch derives Host from the URL, which is the host signed: it is not sent by hand.
    const { Host: _, ...headers } = await tencentHeaders({
      secretId,
      secretKey,
      service: TENCENT_SERVICE,
      host,
      payload,
      timestamp,
      ...PHONE_VERIFICATION,
    });
    const exchanged = await exchange(fetcher, url, { headers, body: payload }, timeoutMs);
    const reply = exchanged.ok ? interpretTencentBody(exchanged.json) : transportReply(exchanged.kind);
    return { ...reply, latencyMs: Date.now() - started };
  };
}

/** The JSON body: the three elements in the body, never in the URL. */
function requestBody(identity: Identity): string {
  return JSON.stringify({ IdCard: identity.idCard, Name: identity.userName, Phone: identity.loginphone });
}
