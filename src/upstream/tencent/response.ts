// Tencent's JSON answer, checked with zod: nothing in it is trusted (docs/contract.md §5).
// `{"Response":{"Result","Description","Isp","RequestId"}}`, or `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
import * as z from "zod/mini";
import { transportReply } from "../transport.ts";
import { plainToken, type Reply } from "../upstream.ts";
import { tencentErrorReply, tencentResultReply } from "./codes.ts";

const Answer = z.object({
  Response: z.object({
    // Documented as a string ("0", "-4"); a number is read the same way.
    Result: z.optional(z.pipe(z.union([z.string(), z.int()]), z.transform(String))),
    // Never shown to anyone, like every vendor text.
    Description: z.optional(z.string()),
    Isp: z.catch(z.nullish(z.string()), null),
    ResultDetail: z.catch(z.nullish(z.string()), null),
    // Request ids end up in the ledger and logs: only a plain token is kept.
    RequestId: z.catch(z.nullish(z.string()), null),
    Error: z.optional(z.object({ Code: z.string(), Message: z.optional(z.string()) })),
  }),
});

export function interpretTencentBody(json: unknown): Reply {
  const parsed = Answer.safeParse(json);
  if (!parsed.success) return transportReply("malformed");
  const { Result, Isp, ResultDetail, RequestId, Error: error } = parsed.data.Response;
  if (error) return tencentErrorReply(error.Code);
  if (Result === undefined) return transportReply("malformed");
  return tencentResultReply({ Result, Isp, ResultDetail, RequestId: plainToken(RequestId) });
}
