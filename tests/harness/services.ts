/**
 * The real servers the suite needs beyond PostgreSQL, started once by
 * `tests/run.ts` before `deno test` and stopped after it (the servers
 * themselves are development tooling, in dev/). Each service either
 * uses the address already in the environment, starts a local server and
 * returns its address as environment variables, or returns a reason it cannot
 * (then its tests skip loudly, and fail under CI=true).
 */
import { startLocalS3 } from "../../dev/s3.ts";
import { startS3Proxy } from "../../dev/s3proxy.ts";
import { kafkaService } from "./kafka.ts";

export interface StartedService {
  /** Environment variables the tests read (e.g. KAFKA_BROKERS). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface Service {
  name: string;
  /** Environment variable that, when already set, means "use this server". */
  envVar: string;
  start(): Promise<StartedService>;
}

/** Services in start order. Add a service by adding a row. */
export const SERVICES: Service[] = [
  kafkaService,
  { name: "S3 (s3rver)", envVar: "S3_ENDPOINT", start: startLocalS3 },
  {
    name: "S3 that checks signatures (S3Proxy)",
    envVar: "S3PROXY_ENDPOINT",
    async start() {
      const s = await startS3Proxy();
      return {
        env: {
          S3PROXY_ENDPOINT: s.env.S3_ENDPOINT!,
          S3PROXY_ACCESS_KEY: s.env.S3_ACCESS_KEY!,
          S3PROXY_SECRET_KEY: s.env.S3_SECRET_KEY!,
        },
        stop: s.stop,
      };
    },
  },
];
