/**
 * An S3-compatible bucket (AWS S3, MinIO, S3Proxy, s3rver) through
 * @aws-sdk/client-s3 with path-style addressing. A PUT is atomic in S3: an
 * object is visible complete or not at all.
 */
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { LakeTarget } from "./target.ts";

export interface S3Options {
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  region: string;
  /** Key prefix inside the bucket (no leading or trailing slash needed). */
  prefix: string;
}

const notFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NotFound" || e.name === "NoSuchKey" ||
    e.name === "NoSuchBucket" || e.$metadata?.httpStatusCode === 404;
};

/** Error names S3 servers give for keys they do not accept. */
const REFUSED = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "AccessDenied",
  "InvalidToken",
  "AuthorizationHeaderMalformed",
]);

const refusedCredentials = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return REFUSED.has(e.name ?? "") || e.$metadata?.httpStatusCode === 403;
};

/** A lake target in an S3 bucket; call {@linkcode S3Target.ensureBucket} first. */
export class S3Target implements LakeTarget {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly description: string;

  constructor(o: S3Options) {
    if (!o.bucket) throw new Error("Cannot use S3: S3_BUCKET is empty");
    this.client = new S3Client({
      endpoint: o.endpoint,
      region: o.region,
      forcePathStyle: true,
      // The SDK adds CRC checksum headers to every upload by default (since
      // 3.729); S3-compatible servers such as S3Proxy and older MinIO answer
      // those with NotImplemented. Send checksums only where S3 requires them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      credentials: o.accessKey
        ? { accessKeyId: o.accessKey, secretAccessKey: o.secretKey }
        : undefined,
    });
    this.bucket = o.bucket;
    this.prefix = o.prefix.replace(/^\/+|\/+$/g, "");
    this.description = `s3://${o.bucket}/${this.prefix} at ${o.endpoint}`;
  }

  #key(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  /**
   * Sends `command`; keys the server refuses become one sentence naming the
   * settings, instead of the SDK's bare "Forbidden" or "UnknownError".
   */
  async #send<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!refusedCredentials(err)) throw err;
      const e = err as { name?: string };
      throw new Error(
        `Cannot ${what} the lake at ${this.description}: the S3 server refused the credentials ` +
          `S3_ACCESS_KEY and S3_SECRET_KEY (${e.name ?? "403"})`,
        { cause: err },
      );
    }
  }

  /** Creates the bucket when it does not exist yet. */
  async ensureBucket(): Promise<void> {
    try {
      await this.#send(
        "open",
        () => this.client.send(new HeadBucketCommand({ Bucket: this.bucket })),
      );
    } catch (err) {
      if (!notFound(err)) throw err;
      await this.#send(
        "create the bucket of",
        () =>
          this.client.send(new CreateBucketCommand({ Bucket: this.bucket })),
      );
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.#send("write to", () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.#key(key),
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: "application/vnd.apache.parquet",
        }),
      ));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.#send(
        "read",
        () =>
          this.client.send(
            new HeadObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }),
          ),
      );
      return true;
    } catch (err) {
      if (notFound(err)) return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    let token: string | undefined;
    do {
      const page = await this.#send(
        "list",
        () =>
          this.client.send(
            new ListObjectsV2Command({
              Bucket: this.bucket,
              Prefix: this.#key(prefix),
              ContinuationToken: token,
            }),
          ),
      );
      for (const o of page.Contents ?? []) {
        // Folder markers ("x/"), which filesystem-backed servers such as
        // S3Proxy list, are never part files.
        if (o.Key && !o.Key.endsWith("/")) out.push(o.Key.slice(strip));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const r = await this.#send(
        "delete from",
        () =>
          this.client.send(
            new DeleteObjectsCommand({
              Bucket: this.bucket,
              Delete: { Objects: batch.map((k) => ({ Key: this.#key(k) })) },
            }),
          ),
      );
      const failed = r.Errors?.[0];
      if (failed) {
        throw new Error(
          `Cannot delete "${failed.Key}" from bucket "${this.bucket}": ${failed.Message}`,
        );
      }
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const r = await this.#send(
      "read",
      () =>
        this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }),
        ),
    );
    return await r.Body!.transformToByteArray();
  }
}
