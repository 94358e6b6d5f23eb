import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  validateSync,
} from 'class-validator';
import { hasHashTag, isClusterUrl, parseRedisUrl } from '../common/redis/redis-url';

const toBool = ({ value }: { value: unknown }) => (typeof value === 'string' ? ['1', 'true', 'yes'].includes(value.toLowerCase()) : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);
const url = { require_tld: false, require_protocol: true };

@ValidatorConstraint({ name: 'redisUrl' })
class RedisUrl implements ValidatorConstraintInterface {
  validate(url: string): boolean {
    return redisUrlProblem(url) === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    return redisUrlProblem(args.value as string) ?? '';
  }
}

function redisUrlProblem(url: string): string | undefined {
  try {
    parseRedisUrl(url);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

@ValidatorConstraint({ name: 'hashTagOnCluster' })
class HashTagOnCluster implements ValidatorConstraintInterface {
  validate(prefix: string, args: ValidationArguments): boolean {
    const url = (args.object as { REDIS_URL?: unknown }).REDIS_URL;
    return typeof url !== 'string' || !isClusterUrl(url) || hasHashTag(prefix);
  }

  defaultMessage(): string {
    return 'QUEUE_PREFIX must start with a hash tag such as {conversa} on a Redis Cluster (multi-key scripts need one slot)';
  }
}

/** The one environment schema. Nothing else reads process.env. */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString() @Matches(/^(api|worker|scheduler)(,(api|worker|scheduler))*$/, { message: 'APP_ROLES must be a comma list of api, worker, scheduler' })
  APP_ROLES = 'api,worker,scheduler';

  /** Health port for worker-only/scheduler-only processes; 0 = none. */
  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  HEALTH_PORT = 0;

  @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /** `redis://host:port[/db]`, or `redis+cluster://host:port,host:port,…` (startup nodes) for a Redis Cluster. */
  @IsString() @Validate(RedisUrl)
  REDIS_URL: string;

  /** Prefix of every Redis key; the braces keep every multi-key script (BullMQ's and ours) on one Redis Cluster slot. */
  @IsString() @Validate(HashTagOnCluster)
  QUEUE_PREFIX = '{conversa}';

  @Transform(toBool) @IsBoolean()
  DB_MIGRATIONS_RUN = true;

  /** Connections per process; size it to the worker concurrency (PostgreSQL's max_connections bounds the sum). */
  @Transform(toInt) @IsInt() @Min(2) @Max(500)
  DATABASE_POOL_SIZE = 20;

  /**
   * PostgreSQL cancels a statement running longer than this; the client gives up 1 s later (a network that drops
   * packets never answers) and replaces the connection. Migrations run by the TypeORM CLI have no limit.
   */
  @Transform(toInt) @IsInt() @Min(100)
  DB_STATEMENT_TIMEOUT_MS = 30000;

  /** A statement waiting this long for a row or advisory lock fails (and its job retries). */
  @Transform(toInt) @IsInt() @Min(100)
  DB_LOCK_TIMEOUT_MS = 10000;

  /** PostgreSQL ends a session left idle inside a transaction this long, releasing its locks. */
  @Transform(toInt) @IsInt() @Min(1000)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60000;

  /** Opening a connection, or waiting for a free one in the pool, fails after this. */
  @Transform(toInt) @IsInt() @Min(100)
  DB_CONNECT_TIMEOUT_MS = 5000;

  @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string;

  @IsString() @Matches(/^\d+[smhd]$/, { message: 'JWT_EXPIRES_IN must look like 15m, 12h or 7d' })
  JWT_EXPIRES_IN = '12h';

  /** 32 bytes, base64 or hex, for AES-256-GCM of tokens and secrets at rest. */
  @IsString() @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, { message: 'ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64' })
  ENCRYPTION_KEY: string;

  @IsEmail()
  ADMIN_EMAIL = 'admin@conversa.local';

  @IsString() @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD: string;

  @IsString()
  DEFAULT_ORGANIZATION_NAME = 'Conversa';

  @IsUrl(url)
  META_GRAPH_BASE_URL = 'https://graph.facebook.com';

  @IsString() @Matches(/^v\d+\.\d+$/, { message: 'META_API_VERSION must look like v24.0' })
  META_API_VERSION = 'v24.0';

  @IsString()
  META_APP_SECRET = '';

  @IsString()
  META_VERIFY_TOKEN = '';

  @Transform(toInt) @IsInt() @Min(100)
  META_HTTP_TIMEOUT_MS = 10000;

  @IsUrl(url)
  KAPSO_API_BASE_URL = 'https://api.kapso.ai';

  @IsString()
  KAPSO_WEBHOOK_SECRET = '';

  /** Public URL of this service, used by the sandbox to post its webhooks back. */
  @IsUrl(url)
  PUBLIC_BASE_URL = 'http://127.0.0.1:3000';

  /** The built-in Graph API simulator; unset means on outside production (see validateEnv). */
  @Transform(toBool) @IsBoolean()
  SANDBOX_ENABLED: boolean;

  @Transform(toInt) @IsInt() @Min(0)
  SANDBOX_STATUS_DELAY_MS = 500;

  /** How long the sandbox's simulated Meta review of a submitted template takes. */
  @Transform(toInt) @IsInt() @Min(0)
  SANDBOX_TEMPLATE_REVIEW_MS = 3000;

  /** Bearer token /metrics asks for; empty leaves it open (scraped on a private network). */
  @IsString()
  METRICS_TOKEN = '';

  @IsString()
  MEDIA_DIR = './var/media';

  @Transform(toInt) @IsInt() @Min(1)
  MEDIA_MAX_BYTES = 104857600;

  @Transform(toInt) @IsInt() @Min(1024)
  HTTP_BODY_LIMIT_BYTES = 3145728;

  @Transform(toInt) @IsInt() @Min(1)
  WEBHOOK_EVENT_RETENTION_DAYS = 30;

  /** Extra wait to grow webhook insert batches; 0 = natural group commit (batches form while inserts run). */
  @Transform(toInt) @IsInt() @Min(0) @Max(100)
  WEBHOOK_INGEST_BATCH_MS = 0;

  /** A webhook not stored within this is answered 503 WEBHOOK_STORE_TIMEOUT, so the provider retries it. */
  @Transform(toInt) @IsInt() @Min(100)
  WEBHOOK_STORE_TIMEOUT_MS = 2000;

  /** Outbound webhooks may target private, loopback and link-local addresses (tests, on-premise receivers). */
  @Transform(toBool) @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_URLS = false;

  /** One outbound webhook attempt, response included. */
  @Transform(toInt) @IsInt() @Min(100)
  WEBHOOK_TIMEOUT_MS = 15000;

  /** Delay before each attempt (ms): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h; then the delivery is dead. */
  @IsString() @Matches(/^\d+(,\d+)*$/)
  WEBHOOK_RETRY_SCHEDULE_MS = '0,5000,300000,1800000,7200000,18000000,36000000,50400000,72000000,86400000';

  /** An endpoint that has failed every attempt for this long (5 days) is disabled and its owner told. */
  @Transform(toInt) @IsInt() @Min(1000)
  WEBHOOK_DISABLE_AFTER_MS = 432000000;

  /** After a rotation the previous secret keeps signing this long (both signatures are sent). */
  @Transform(toInt) @IsInt() @Min(0)
  WEBHOOK_SECRET_OVERLAP_MS = 86400000;

  /** Webhook deliveries in progress per worker process. */
  @Transform(toInt) @IsInt() @Min(1)
  WEBHOOK_DELIVERY_CONCURRENCY = 64;

  /** Attempts in progress per endpoint per worker process: a slow receiver never takes every delivery slot. */
  @Transform(toInt) @IsInt() @Min(1)
  WEBHOOK_ENDPOINT_CONCURRENCY = 16;

  /** Attempts per second per endpoint per worker process when the endpoint sets none (0 = no limit). */
  @Transform(toInt) @IsInt() @Min(0)
  WEBHOOK_ENDPOINT_MAX_PER_SECOND = 0;

  /** How often an idle relay looks for new outbox events (a full batch is followed at once). */
  @Transform(toInt) @IsInt() @Min(5)
  OUTBOX_POLL_INTERVAL_MS = 50;

  @IsString() @Matches(/^[a-z,-]*$/)
  WORKER_QUEUES = '';

  @Transform(toInt) @IsInt() @Min(1)
  WORKER_CONCURRENCY = 16;

  /**
   * Webhook events in progress per worker process. Their database work is batched across the jobs in flight
   * (claims, known-sender messages, outcomes), so wider means bigger batches and fewer statements, not more
   * connections: on two cores a 20,000-event burst took 27 s at 16, 21–25 s at 64 and 19 s at 128.
   */
  @Transform(toInt) @IsInt() @Min(1)
  INBOUND_CONCURRENCY = 128;

  /**
   * Send jobs in progress per worker process: the ones waiting for their pacing slot (up to ~100 ms of the
   * account's rate) plus the ones waiting on the provider (rate × latency). 96 keeps 1,000/s against a fast
   * provider; a high tier against Meta's real latency wants rate × latency + 100 (e.g. 400).
   */
  @Transform(toInt) @IsInt() @Min(1)
  OUTBOUND_CONCURRENCY = 96;

  /**
   * BullMQ's job lock duration and stalled-job check interval (its default for both is 30 s): a job whose worker
   * died is handed to another worker within about twice this. The agents' conversation lock lasts half of it.
   */
  @Transform(toInt) @IsInt() @Min(1000)
  WORKER_STALLED_INTERVAL_MS = 30000;

  /**
   * A campaign recipient Meta did not deliver to because of its per-user marketing limit (131049) is retried after this
   * (24 h, as Meta advises), doubled at each further attempt, never past the campaign's expiry.
   */
  @Transform(toInt) @IsInt() @Min(1000)
  CAMPAIGN_MARKETING_RETRY_MS = 86_400_000;

  /** Sends tried per campaign recipient when Meta keeps answering 131049; then it is `failed`. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10)
  CAMPAIGN_MARKETING_MAX_ATTEMPTS = 3;

  /** How often the scheduler's sweeps re-enqueue webhook events and sends whose jobs Redis lost. */
  @Transform(toInt) @IsInt() @Min(1000)
  MAINTENANCE_SWEEP_INTERVAL_MS = 30000;

  /** How often the scheduler brings the analytics cycles up to date with the conversations touched since. */
  @Transform(toInt) @IsInt() @Min(1000)
  ANALYTICS_ROLLUP_INTERVAL_MS = 60000;

  /** How often the scheduler reconciles Chatwoot with the conversations active within CHATWOOT_RECONCILE_WINDOW_HOURS. */
  @Transform(toInt) @IsInt() @Min(1000)
  CHATWOOT_RECONCILE_INTERVAL_MS = 600_000;

  @Transform(toInt) @IsInt() @Min(1) @Max(24 * 90)
  CHATWOOT_RECONCILE_WINDOW_HOURS = 24;

  @Transform(toInt) @IsInt() @Min(1000)
  SHUTDOWN_TIMEOUT_MS = 25000;

  @Transform(toInt) @IsInt() @Min(0)
  AGENTS_DEBOUNCE_MS = 3000;

  @Transform(toInt) @IsInt() @Min(1)
  API_RATE_LIMIT_PER_MINUTE = 600;

  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_RATE_LIMIT_PER_MINUTE = 10;

  @IsOptional() @IsUrl(url)
  LLM_BASE_URL?: string;

  @IsOptional() @IsString()
  LLM_API_KEY?: string;

  @IsString()
  LLM_MODEL = 'gpt-4o-mini';

  @Transform(toInt) @IsInt() @Min(100)
  LLM_TIMEOUT_MS = 8000;

  @Transform(toInt) @IsInt() @Min(16)
  LLM_MAX_TOKENS = 400;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}

export class EnvValidationError extends Error {}

/** The published `.env.example` secrets: with them anyone can forge tokens, webhooks or logins, or decrypt stored credentials. */
const EXAMPLE_SECRETS: Partial<Record<keyof EnvironmentVariables, string>> = {
  JWT_SECRET: 'change-me-local-development-jwt-secret-0123456789',
  ENCRYPTION_KEY: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  ADMIN_PASSWORD: 'conversa-admin',
  META_APP_SECRET: 'local-meta-app-secret',
  META_VERIFY_TOKEN: 'local-verify-token',
  KAPSO_WEBHOOK_SECRET: 'local-kapso-webhook-secret',
};

function exampleSecretsInProduction(env: EnvironmentVariables): string[] {
  if (env.NODE_ENV !== 'production') return [];
  return Object.entries(EXAMPLE_SECRETS)
    .filter(([name, example]) => String(env[name as keyof EnvironmentVariables]).toLowerCase() === example.toLowerCase())
    .map(([name]) => `  ${name}: must not be the .env.example value in production`);
}

/** Validates the environment; the message names every bad or missing variable. */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  // An empty value means "not set", so defaults and @IsOptional apply.
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '' && v !== undefined));
  // A simulator that signs webhooks is a development tool: production has it only when asked for.
  present.SANDBOX_ENABLED ??= String((present.NODE_ENV ?? 'development') !== 'production');
  const env = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? { invalid: 'is invalid' }).join('; ')}`);
  lines.push(...exampleSecretsInProduction(env));
  if (lines.length > 0) throw new EnvValidationError(`Invalid environment configuration:\n${lines.join('\n')}`);
  return env;
}
