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

  /** Creates the bucket when it does not exist yet. */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if (!notFound(err)) throw err;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.#key(key),
        Body: bytes,
        ContentLength: bytes.length,
        ContentType: "application/vnd.apache.parquet",
      }),
    );
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }),
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
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.#key(prefix),
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) {
        if (o.Key) out.push(o.Key.slice(strip));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const r = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((k) => ({ Key: this.#key(k) })) },
        }),
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
    const r = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.#key(key) }),
    );
    return await r.Body!.transformToByteArray();
  }
}
