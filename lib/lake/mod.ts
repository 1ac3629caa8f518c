/**
 * The Parquet data lake: incremental export of the event streams to a local
 * folder or an S3-compatible bucket. See export.ts for the guarantees.
 */
import type { Config } from "../config.ts";
import { type LakeTarget, LocalTarget } from "./target.ts";

export {
  exportLake,
  type ExportOptions,
  type ExportResult,
  FILE_ROWS,
  PARALLEL,
  partKey,
} from "./export.ts";
export { LakeBusyError } from "./state.ts";
export { STREAMS } from "./streams.ts";
export { type LakeTarget, LocalTarget } from "./target.ts";

/**
 * The configured target: the bucket when S3_ENDPOINT is set (created if
 * missing), else the local folder LAKE_DIR.
 */
export async function targetFromConfig(config: Config): Promise<LakeTarget> {
  if (!config.s3Endpoint) return new LocalTarget(config.lakeDir);
  // Loaded only when used: the AWS SDK is large and most runs write locally.
  const { S3Target } = await import("./s3_target.ts");
  const s3 = new S3Target({
    endpoint: config.s3Endpoint,
    bucket: config.s3Bucket,
    accessKey: config.s3AccessKey,
    secretKey: config.s3SecretKey,
    region: config.s3Region,
    prefix: config.lakePrefix,
  });
  await s3.ensureBucket();
  return s3;
}

/** Formats a byte count for people (e.g. "12.3 MB"). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) v /= 1024, i++;
  return `${v.toFixed(1)} ${units[i]}`;
}
