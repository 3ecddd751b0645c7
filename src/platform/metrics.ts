import type { RequestLog } from "./log.ts";

/**
 * One Analytics Engine data point per request, from the same non-personal facts as the log line.
 * Columns (docs/metrics.md has SQL that reads them by position):
 * index1 = account id; blob1 = account id, blob2 = errorCode, blob3 = returnCode,
 * blob4 = the deciding upstream's numeric code; double1 = billable (0/1), double2 = duplicate (0/1),
 * double3 = upstream ms, double4 = total ms, double5 = upstream called (0/1).
 */
export function writeMetrics(dataset: AnalyticsEngineDataset | undefined, entry: RequestLog): void {
  const account = entry.accountId ?? "";
  dataset?.writeDataPoint({
    indexes: [account],
    blobs: [account, entry.errorCode, entry.returnCode, entry.upstreamCode === null ? "" : String(entry.upstreamCode)],
    doubles: [
      Number(entry.billable),
      Number(entry.duplicate),
      entry.upstreamMs ?? 0,
      entry.totalMs,
      Number(entry.upstreamMs !== null),
    ],
  });
}
