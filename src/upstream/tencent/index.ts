// The Tencent Cloud vendor (docs/upstreams.md): FaceID PhoneVerification, three networks; it
// reports the carrier (`Isp`), ported numbers included.
import { baseUrl, defineUpstream, secret } from "../descriptor.ts";
import { tencentQuery } from "./client.ts";
import { tencentCodeTable } from "./codes.ts";
import { SANDBOX_TENCENT_BASE_URL, SANDBOX_TENCENT_SECRET, sandboxTencentFetcher } from "./sandbox.ts";

export const TENCENT = defineUpstream({
  name: "tencent",
  product: "腾讯云 人脸核身 FaceID `PhoneVerification` (2018-03-01)",
  networks: ["CMCC", "CUCC", "CTCC"],
  carriers: null,
  settings: {
    TENCENT_SECRET_ID: secret(
      "SecretId of a CAM sub-user allowed `faceid:PhoneVerification`; required when `tencent` is listed",
    ),
    TENCENT_SECRET_KEY: secret("its SecretKey; required when `tencent` is listed"),
    TENCENT_BASE_URL: baseUrl("https://faceid.tencentcloudapi.com"),
  },
  codes: tencentCodeTable(),
  required: () => ["TENCENT_SECRET_ID", "TENCENT_SECRET_KEY"],
  build: (values, fetcher) =>
    tencentQuery(
      { baseUrl: values.TENCENT_BASE_URL, secretId: values.TENCENT_SECRET_ID, secretKey: values.TENCENT_SECRET_KEY },
      fetcher,
    ),
  label: () => "tencent",
  sandbox: {
    values: {
      TENCENT_BASE_URL: SANDBOX_TENCENT_BASE_URL,
      TENCENT_SECRET_ID: SANDBOX_TENCENT_SECRET.secretId,
      TENCENT_SECRET_KEY: SANDBOX_TENCENT_SECRET.secretKey,
    },
    fetcher: sandboxTencentFetcher,
  },
});
