/**
 * The settings table: one row per setting of the platform, in `--help`
 * order, and the typed values it parses into. `lib/config.ts` reads it;
 * `--help` and the README's table are derived from it.
 */
import type { AlertChannel, IngestSource } from "./config_lists.ts";

export const ROLES = ["all", "generators", "processor", "web", "jobs"] as const;
export type Role = typeof ROLES[number];

export type Kind =
  | "string"
  | "int"
  | "number"
  | "bool"
  | "roles"
  | "duration"
  | "sources"
  | "channels";

export interface Setting {
  key: keyof ConfigValues;
  env: string;
  flag?: string;
  kind: Kind;
  default: string;
  doc: string;
  secret?: boolean;
  /** The largest value an "int" or "number" setting takes (a port's 65535). */
  max?: number;
}

export interface ConfigValues {
  roles: readonly Role[];
  databaseUrl: string;
  dataDir: string;
  embeddedPgPort: number;
  dbPoolMax: number;
  kafkaBrokers: string;
  kafkaClientId: string;
  kafkaSessionTimeoutMs: number;
  topicPrefix: string;
  logFsync: "always" | "never";
  logSegmentBytes: number;
  logRetentionCheckMs: number;
  batchSize: number;
  batchWaitMs: number;
  eventMaxFutureMs: number;
  eventMinTimestamp: string;
  rate: number;
  seed: string;
  users: number;
  customers: number;
  pricingGap: number;
  pricingLowVelocity: number;
  pricingHighVelocity: number;
  pricingConfidenceScale: number;
  pricingTargetFactor: number;
  pricingMaxAgeMs: number;
  qualityMaxStock: number;
  host: string;
  port: number;
  metricsPort: number;
  apiToken: string;
  publicUrl: string;
  ingestTokens: readonly IngestSource[];
  ingestMaxBytes: number;
  alertChannels: readonly AlertChannel[];
  alertStockoutDays: number;
  alertUndercutPct: number;
  alertRaisedPct: number;
  alertApprovalWaitMs: number;
  alertLag: number;
  alertStallMs: number;
  alertCooldownMs: number;
  alertDailyCap: number;
  alertTimeoutMs: number;
  alertRetryBaseMs: number;
  alertMaxAttempts: number;
  lowStockThreshold: number;
  salesRateHours: number;
  reorderLeadTimeHours: number;
  reorderLeadTimeSpreadHours: number;
  reorderSafetyZ: number;
  reorderCoverDays: number;
  webCacheMs: number;
  liveMaxSubscribers: number;
  liveWriteTimeoutMs: number;
  analyticsMaxConcurrent: number;
  analyticsTimeoutMs: number;
  liveListen: boolean;
  statsIntervalMs: number;
  lakeDir: string;
  lakePrefix: string;
  s3Endpoint: string;
  s3Bucket: string;
  s3AccessKey: string;
  s3SecretKey: string;
  s3Region: string;
  logLevel: string;
  logFormat: string;
}

export type Config = Readonly<ConfigValues>;

/** The settings table: one row per setting, in `--help` order. */
export const SETTINGS: readonly Setting[] = [
  {
    key: "roles",
    env: "ROLE",
    flag: "role",
    kind: "roles",
    default: "all",
    doc: "Roles to run, comma-separated: all, generators, processor, web, jobs",
  },
  {
    key: "databaseUrl",
    env: "DATABASE_URL",
    kind: "string",
    default: "",
    doc:
      "PostgreSQL URL; empty means embedded PGlite (PG* variables are honoured too)",
    secret: true,
  },
  {
    key: "dataDir",
    env: "DATA_DIR",
    flag: "data-dir",
    kind: "string",
    default: "./data",
    doc: "Folder for embedded PostgreSQL, the embedded log and the local lake",
  },
  {
    key: "embeddedPgPort",
    env: "EMBEDDED_PG_PORT",
    kind: "int",
    max: 65_535,
    default: "54329",
    doc: "Port the embedded PostgreSQL listens on (127.0.0.1 only)",
  },
  {
    key: "dbPoolMax",
    env: "DB_POOL_MAX",
    kind: "int",
    default: "10",
    doc: "Maximum PostgreSQL connections per process",
  },
  {
    key: "kafkaBrokers",
    env: "KAFKA_BROKERS",
    kind: "string",
    default: "",
    doc:
      "Kafka bootstrap servers (host:port,...); empty means the embedded log",
  },
  {
    key: "kafkaClientId",
    env: "KAFKA_CLIENT_ID",
    kind: "string",
    default: "pricing-platform",
    doc: "Kafka client id",
  },
  {
    key: "kafkaSessionTimeoutMs",
    env: "KAFKA_SESSION_TIMEOUT_MS",
    kind: "int",
    default: "10000",
    doc:
      "How soon Kafka hands a silent processor's partitions to the others (ms)",
  },
  {
    key: "topicPrefix",
    env: "TOPIC_PREFIX",
    kind: "string",
    default: "",
    doc:
      "Prefix for every topic and consumer group name (isolates tests and tenants)",
  },
  {
    key: "logFsync",
    env: "LOG_FSYNC",
    kind: "string",
    default: "always",
    doc:
      "Embedded log: always = a send is acknowledged after fsync and survives an OS crash; never = survives a process crash only",
  },
  {
    key: "logSegmentBytes",
    env: "LOG_SEGMENT_BYTES",
    kind: "int",
    default: "67108864",
    doc:
      "Embedded log: a partition starts a new segment file at this size (retention deletes whole segments)",
  },
  {
    key: "logRetentionCheckMs",
    env: "LOG_RETENTION_CHECK_MS",
    kind: "int",
    default: "300000",
    doc: "Embedded log: how often retention looks for deletable segments (ms)",
  },
  {
    key: "batchSize",
    env: "BATCH_SIZE",
    flag: "batch-size",
    kind: "int",
    default: "1000",
    doc: "Consumer flushes a batch at this many messages",
  },
  {
    key: "batchWaitMs",
    env: "BATCH_WAIT_MS",
    flag: "batch-wait-ms",
    kind: "int",
    default: "50",
    doc: "... or after this many milliseconds",
  },
  {
    key: "eventMaxFutureMs",
    env: "EVENT_MAX_FUTURE_MS",
    kind: "int",
    default: "300000",
    doc:
      "Events stamped further than this in the future are rejected (ms of clock skew allowed)",
  },
  {
    key: "eventMinTimestamp",
    env: "EVENT_MIN_TIMESTAMP",
    kind: "string",
    default: "2000-01-01T00:00:00Z",
    doc: "Events stamped before this ISO time are rejected",
  },
  {
    key: "rate",
    env: "GENERATOR_RATE",
    flag: "rate",
    kind: "number",
    default: "1",
    doc:
      "Generator speed multiplier (100 = a hundred times the normal shop traffic)",
  },
  {
    key: "seed",
    env: "GENERATOR_SEED",
    flag: "seed",
    kind: "string",
    default: "",
    doc: "Seed for reproducible generator runs; empty means random",
  },
  {
    key: "users",
    env: "GENERATOR_USERS",
    kind: "int",
    default: "50",
    doc: "Simulated shoppers browsing at once",
  },
  {
    key: "customers",
    env: "GENERATOR_CUSTOMERS",
    kind: "int",
    default: "5000",
    doc:
      "Simulated customer base each session belongs to (returning customers come back more often)",
  },
  {
    key: "pricingGap",
    env: "PRICING_GAP",
    kind: "number",
    default: "0.10",
    doc: "Price gap (fraction) beyond which the engine lowers or raises",
  },
  {
    key: "pricingLowVelocity",
    env: "PRICING_LOW_VELOCITY",
    kind: "number",
    default: "2",
    doc: "Purchases/hour below which an overpriced product is lowered",
  },
  {
    key: "pricingHighVelocity",
    env: "PRICING_HIGH_VELOCITY",
    kind: "number",
    default: "5",
    doc: "Purchases/hour at or above which an underpriced product is raised",
  },
  {
    key: "pricingConfidenceScale",
    env: "PRICING_CONFIDENCE_SCALE",
    kind: "number",
    default: "0.20",
    doc: "Gap at which confidence reaches 1",
  },
  {
    key: "pricingTargetFactor",
    env: "PRICING_TARGET_FACTOR",
    kind: "number",
    default: "0.99",
    doc: "Recommended price = factor x average competitor price",
  },
  {
    key: "pricingMaxAgeMs",
    env: "PRICING_MAX_AGE",
    kind: "duration",
    default: "6h",
    doc:
      "Competitor prices older than this are ignored by the engine (e.g. 90m, 6h, 2d)",
  },
  {
    key: "qualityMaxStock",
    env: "QUALITY_MAX_STOCK",
    kind: "int",
    default: "0",
    doc:
      "Most units of one product one warehouse can hold; more fails the data-quality check inventory.stock_within_bound. 0: 100,000 x GENERATOR_RATE (at least 100,000)",
  },
  {
    key: "host",
    env: "HOST",
    flag: "host",
    kind: "string",
    default: "127.0.0.1",
    doc: "Address the web server binds to",
  },
  {
    key: "port",
    env: "PORT",
    flag: "port",
    kind: "int",
    max: 65_535,
    default: "8000",
    doc: "Web server port",
  },
  {
    key: "metricsPort",
    env: "METRICS_PORT",
    flag: "metrics-port",
    kind: "int",
    max: 65_535,
    default: "9464",
    doc: "Metrics port for processes without the web role (0 = off)",
  },
  {
    key: "apiToken",
    env: "API_TOKEN",
    kind: "string",
    default: "",
    doc: "Bearer token required by write endpoints; empty disables them",
    secret: true,
  },
  {
    key: "publicUrl",
    env: "PUBLIC_URL",
    kind: "string",
    default: "",
    doc:
      "The dashboard's address as people reach it (e.g. https://prices.example.com); alert messages link to it",
  },
  {
    key: "ingestTokens",
    env: "INGEST_TOKENS",
    kind: "sources",
    default: "",
    doc:
      'Ingest API sources, "SOURCE STREAMS TOKEN" separated by ";" (STREAMS: clickstream,inventory,competitor or *); empty disables the API',
    secret: true,
  },
  {
    key: "ingestMaxBytes",
    env: "INGEST_MAX_BYTES",
    kind: "int",
    default: "5242880",
    doc: "Largest ingest API request body; larger ones are answered 413",
  },
  {
    key: "alertChannels",
    env: "ALERT_CHANNELS",
    kind: "channels",
    default: "",
    doc:
      'Alert channels, "NAME webhook URL SECRET" or "NAME slack URL" separated by ";"; empty: alerts are only shown',
    secret: true,
  },
  {
    key: "alertStockoutDays",
    env: "ALERT_STOCKOUT_DAYS",
    kind: "number",
    default: "2",
    doc: "Alert: a product in a warehouse has fewer days of cover than this",
  },
  {
    key: "alertUndercutPct",
    env: "ALERT_UNDERCUT_PCT",
    kind: "number",
    default: "10",
    doc: "Alert: a competitor prices more than this % below us",
  },
  {
    key: "alertRaisedPct",
    env: "ALERT_RAISED_PCT",
    kind: "number",
    default: "15",
    doc: "Alert: a competitor prices more than this % above us (room to raise)",
  },
  {
    key: "alertApprovalWaitMs",
    env: "ALERT_APPROVAL_WAIT",
    kind: "duration",
    default: "4h",
    doc: "Alert: a recommendation has waited for approval longer than this",
  },
  {
    key: "alertLag",
    env: "ALERT_LAG",
    kind: "int",
    default: "10000",
    doc: "Alert: more events than this wait for a topic's consumers",
  },
  {
    key: "alertStallMs",
    env: "ALERT_STALL",
    kind: "duration",
    default: "5m",
    doc:
      "Alert: a consumer with events waiting has committed nothing for this long (stopped)",
  },
  {
    key: "alertCooldownMs",
    env: "ALERT_COOLDOWN",
    kind: "duration",
    default: "1h",
    doc: "A firing alert is sent again at most this often",
  },
  {
    key: "alertDailyCap",
    env: "ALERT_DAILY_CAP",
    kind: "int",
    default: "20",
    doc:
      "Messages per rule per UTC day; beyond it alerts are shown but not sent",
  },
  {
    key: "alertTimeoutMs",
    env: "ALERT_TIMEOUT_MS",
    kind: "int",
    default: "5000",
    doc: "A channel that has not answered within this is retried (ms)",
  },
  {
    key: "alertRetryBaseMs",
    env: "ALERT_RETRY_BASE_MS",
    kind: "int",
    default: "1000",
    doc:
      "First retry of a failed delivery after about this long, doubling, with jitter (ms)",
  },
  {
    key: "alertMaxAttempts",
    env: "ALERT_MAX_ATTEMPTS",
    kind: "int",
    default: "8",
    doc: "Attempts per delivery before it is marked failed",
  },
  {
    key: "lowStockThreshold",
    env: "LOW_STOCK_THRESHOLD",
    kind: "int",
    default: "20",
    doc: "Units at or below which stock counts as low",
  },
  {
    key: "salesRateHours",
    env: "SALES_RATE_HOURS",
    kind: "int",
    default: "72",
    doc:
      "Inventory: sales rate = units sold over this many hours (or since the first sale, if sooner), per day",
  },
  {
    key: "reorderLeadTimeHours",
    env: "REORDER_LEAD_TIME_HOURS",
    kind: "number",
    default: "72",
    doc:
      "Inventory: mean supplier lead time behind reorder suggestions (hours)",
  },
  {
    key: "reorderLeadTimeSpreadHours",
    env: "REORDER_LEAD_TIME_SPREAD_HOURS",
    kind: "number",
    default: "18",
    doc:
      "Inventory: the lead time varies uniformly by plus or minus this (hours)",
  },
  {
    key: "reorderSafetyZ",
    env: "REORDER_SAFETY_Z",
    kind: "number",
    default: "1.65",
    doc:
      "Inventory: safety factor of the reorder point (1.65 = 95 % cycle service level)",
  },
  {
    key: "reorderCoverDays",
    env: "REORDER_COVER_DAYS",
    kind: "number",
    default: "7",
    doc: "Inventory: days of sales one suggested order covers",
  },
  {
    key: "webCacheMs",
    env: "WEB_CACHE_MS",
    kind: "int",
    default: "1000",
    doc:
      "Dashboard pages and their JSON are computed at most once per this many ms (0 = every request)",
  },
  {
    key: "liveMaxSubscribers",
    env: "LIVE_MAX_SUBSCRIBERS",
    kind: "int",
    default: "200",
    doc:
      "Live-feed (SSE) streams open at once; more are answered 503 and their pages retry",
  },
  {
    key: "liveWriteTimeoutMs",
    env: "LIVE_WRITE_TIMEOUT_MS",
    kind: "int",
    default: "10000",
    doc: "A live-feed client that takes no write for this long is dropped (ms)",
  },
  {
    key: "analyticsMaxConcurrent",
    env: "ANALYTICS_MAX_CONCURRENT",
    kind: "int",
    default: "2",
    doc:
      "Analytics reports computed at once; more wait briefly, then get a 503",
  },
  {
    key: "analyticsTimeoutMs",
    env: "ANALYTICS_TIMEOUT_MS",
    kind: "int",
    default: "15000",
    doc: "Statement timeout of an analytics report's queries (ms)",
  },
  {
    key: "liveListen",
    env: "LIVE_LISTEN",
    kind: "bool",
    default: "true",
    doc:
      "A web role without consumers hears commits by LISTEN; false = only poll the offsets every 2 s (edge runtimes)",
  },
  {
    key: "statsIntervalMs",
    env: "STATS_INTERVAL_MS",
    kind: "int",
    default: "10000",
    doc: "How often the throughput line is printed (0 = never)",
  },
  {
    key: "lakeDir",
    env: "LAKE_DIR",
    kind: "string",
    default: "",
    doc: "Local lake folder when S3 is not configured (default DATA_DIR/lake)",
  },
  {
    key: "lakePrefix",
    env: "LAKE_PREFIX",
    kind: "string",
    default: "lake",
    doc: "Key prefix inside the S3 bucket",
  },
  {
    key: "s3Endpoint",
    env: "S3_ENDPOINT",
    kind: "string",
    default: "",
    doc:
      "S3-compatible endpoint (MinIO, S3); empty means the local lake folder",
  },
  {
    key: "s3Bucket",
    env: "S3_BUCKET",
    kind: "string",
    default: "ecommerce-lake",
    doc: "Lake bucket, created if missing",
  },
  {
    key: "s3AccessKey",
    env: "S3_ACCESS_KEY",
    kind: "string",
    default: "",
    doc: "S3 access key",
    secret: true,
  },
  {
    key: "s3SecretKey",
    env: "S3_SECRET_KEY",
    kind: "string",
    default: "",
    doc: "S3 secret key",
    secret: true,
  },
  {
    key: "s3Region",
    env: "S3_REGION",
    kind: "string",
    default: "us-east-1",
    doc: "S3 region",
  },
  {
    key: "logLevel",
    env: "LOG_LEVEL",
    kind: "string",
    default: "info",
    doc: "debug, info, warn or error",
  },
  {
    key: "logFormat",
    env: "LOG_FORMAT",
    kind: "string",
    default: "text",
    doc: "text or json",
  },
];
