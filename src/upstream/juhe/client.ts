// The juhe adapters (docs/contract.md §5): `telecomCmcc` (UPSTREAMS name `juhe`, Telecom numbers)
// and the three-network `telecom` (`juhe3`) speak one protocol. The fetcher is handed in: the
// network, or a sandbox twin.
import type { Identity } from "../../identity/identity.ts";
import { exchange, network, transportReply } from "../transport.ts";
import type { Query } from "../upstream.ts";
import type { JuheProduct } from "./codes.ts";
import { encryptJuheField, juheFieldKey } from "./crypto.ts";
import { interpretJuheBody } from "./response.ts";

export type JuheOptions = {
  readonly baseUrl: string;
  readonly product: JuheProduct;
  readonly key: string;
  /** Encrypted mode's openid; null for plain mode. */
  readonly openid: string | null;
};

export function juheQuery(options: JuheOptions, fetcher: typeof fetch = network): Query {
  const { baseUrl, product, key, openid } = options;
  const url = `${baseUrl}/${product}/${openid === null ? "query" : "queryEncry"}`;
  return async (identity, timeoutMs) => {
    const started = Date.now();
    const body = await formBody(identity, key, openid);
    const headers = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
    const exchanged = await exchange(fetcher, url, { headers, body }, timeoutMs);
    const reply = exchanged.ok ? interpretJuheBody(exchanged.json, product) : transportReply(exchanged.kind);
    return { ...reply, latencyMs: Date.now() - started };
  };
}

/** The form body; personal fields encrypted when an openid is given. Personal data stays out of URLs. */
async function formBody(identity: Identity, key: string, openid: string | null): Promise<URLSearchParams> {
  const fields = { realname: identity.userName, idcard: identity.idCard, mobile: identity.loginphone };
  if (openid !== null) {
    const fieldKey = await juheFieldKey(openid);
    const [realname, idcard, mobile] = await Promise.all(
      [fields.realname, fields.idcard, fields.mobile].map((v) => encryptJuheField(fieldKey, v)),
    );
    Object.assign(fields, { realname, idcard, mobile });
  }
  return new URLSearchParams({ key, ...fields, detail: "1" });
}
