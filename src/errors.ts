/** Our errors and their GraphQL codes, mapped in one place; messages never hold a token, secret or media URL. */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { CxoneError, type CxoneResource } from './cxone/errors.js';
import type { RecordingState } from './models.js';

export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  RecordingNotFound: 'RECORDING_NOT_FOUND',
  SegmentArchived: 'SEGMENT_ARCHIVED',
  RecordingProcessing: 'RECORDING_PROCESSING',
  RecordingLocked: 'RECORDING_LOCKED',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  RateLimited: 'RATE_LIMITED',
  UpstreamUnavailable: 'UPSTREAM_UNAVAILABLE',
  UpstreamTimeout: 'UPSTREAM_TIMEOUT',
  /** CXone answered, but in a shape we cannot read (the report had rows and none could be mapped). */
  UpstreamInvalidAnswer: 'UPSTREAM_INVALID_ANSWER',
  /** An automatic persisted query whose sha256Hash is not the hash of the query sent with it. */
  PersistedQueryHashMismatch: 'PERSISTED_QUERY_HASH_MISMATCH',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export function badUserInput(message: string, argumentName: string): AppError {
  return new AppError(ErrorCode.BadUserInput, message, { argumentName });
}

const CUTOFF_NOTE = 'CXone only finds recordings made on or after 2018-12-13.';

function describe(resource: CxoneResource): string {
  switch (resource.kind) {
    case 'contact':
      return `contact ${resource.acdContactId}`;
    case 'segment':
      return `segment ${resource.segmentId}`;
    case 'statement':
      return `statement ${resource.statementId} of contact ${resource.acdContactId}`;
    case 'completed-contacts':
      return "CXone's completed contacts report";
    case 'segment-analysis':
      return `the Interaction Analytics transcript of segment ${resource.segmentId}`;
    case 'analyzed-segments':
      return "CXone Interaction Analytics' analyzed segments";
    case 'auth':
      return 'CXone authentication';
  }
}

export function fromCxoneError(error: CxoneError): AppError {
  const what = describe(error.resource);
  const retryAfter = (fallback?: number): Record<string, number> => {
    const seconds = error.retryAfterSeconds ?? fallback;
    return seconds === undefined ? {} : { retryAfterSeconds: seconds };
  };
  const status = error.status ?? 0;
  const kind = error.resource.kind;
  switch (error.kind) {
    case 'no-credentials':
      return new AppError(ErrorCode.Unauthenticated, 'No credentials: send an Authorization: Bearer <CXone access token> header.');
    case 'budget':
      return new AppError(
        ErrorCode.RateLimited,
        `The CXone request budget for this tenant is spent; ${what} was not requested. Try again later.`,
        retryAfter(1),
      );
    case 'circuit-open':
      return new AppError(ErrorCode.UpstreamUnavailable, `CXone is failing repeatedly; calls are paused for a moment (${what}).`, retryAfter());
    case 'timeout':
      return new AppError(ErrorCode.UpstreamTimeout, `CXone did not answer in time for ${what}.`);
    case 'network':
      return new AppError(ErrorCode.UpstreamUnavailable, `CXone could not be reached for ${what}.`);
    case 'invalid-response':
      // An unreadable report is neither empty nor an outage: an unknown wire shape ("CXone row unreadable").
      return kind === 'completed-contacts'
        ? new AppError(ErrorCode.UpstreamInvalidAnswer, `CXone sent an answer the subgraph cannot read for ${what}.`)
        : new AppError(ErrorCode.UpstreamUnavailable, `CXone sent an unreadable answer for ${what}.`);
    case 'http':
      break;
  }
  if (kind === 'auth' && status >= 400 && status < 500) {
    // The service's own access key was refused: an operator problem, not the caller's.
    return new AppError(ErrorCode.UpstreamUnavailable, 'The subgraph could not authenticate to CXone.');
  }
  // Reporting needs its own CXone permission, and a 404 means the API version is not served here.
  if (kind === 'completed-contacts' && status === 403) {
    return new AppError(ErrorCode.Forbidden, `CXone denied access to ${what}: the caller lacks the reporting permission.`);
  }
  if (kind === 'completed-contacts' && status === 404) {
    return new AppError(ErrorCode.UpstreamUnavailable, `CXone does not serve ${what} at this API version.`);
  }
  switch (status) {
    case 202:
      return new AppError(
        ErrorCode.RecordingProcessing,
        `The recording of ${what} is still being processed by CXone. Try again shortly.`,
        retryAfter(5),
      );
    case 425:
      return new AppError(ErrorCode.RecordingLocked, `CXone is busy with an earlier request for ${what}. Try again shortly.`, retryAfter(2));
    case 400:
      return new AppError(ErrorCode.BadUserInput, `CXone rejected the request for ${what} as invalid.`);
    case 401:
      return new AppError(ErrorCode.Unauthenticated, 'CXone did not accept the credentials.');
    case 403:
      return new AppError(ErrorCode.Forbidden, `CXone denied access to ${what}: the caller lacks the playback permission.`);
    case 404:
      return kind === 'segment'
        ? new AppError(
            ErrorCode.SegmentArchived,
            `${what.charAt(0).toUpperCase()}${what.slice(1)} is not in CXone's active storage: restore it first (or it does not exist).`,
          )
        : new AppError(ErrorCode.RecordingNotFound, `No recording found for ${what}. ${CUTOFF_NOTE}`);
    case 429:
      return new AppError(ErrorCode.RateLimited, `CXone is throttling this tenant; ${what} was not returned.`, retryAfter(60));
    case 504:
      return new AppError(ErrorCode.UpstreamTimeout, `CXone timed out on ${what}.`);
    default:
      return new AppError(ErrorCode.UpstreamUnavailable, `CXone failed on ${what} (status ${status}).`, retryAfter());
  }
}

const APQ_HASH_MISMATCH = 'provided sha does not match query';

/** Apollo's formatError: upstream errors get their code, ours and graphql's pass, anything else is masked. */
export function createErrorFormatter(options: {
  readonly production: boolean;
  /** "Did you mean ...?" hints (they reveal the schema); off: removed from every message, variables' too. */
  readonly suggestions: boolean;
}): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    if (original instanceof CxoneError) {
      const mapped = fromCxoneError(original);
      return withoutStack({ ...formatted, message: mapped.message, extensions: { ...mapped.extensions } });
    }
    // Apollo raises this one without a code (it would read as an internal error); the message is its only mark.
    if (formatted.message === APQ_HASH_MISMATCH) {
      return withoutStack({
        ...formatted,
        message: 'The persisted query hash does not match the query sent with it (sha256 of the query text).',
        extensions: { code: ErrorCode.PersistedQueryHashMismatch },
      });
    }
    const code = formatted.extensions?.['code'];
    if (isExpectedError(original) || (typeof code === 'string' && code !== ErrorCode.Internal)) {
      const shown = options.suggestions ? formatted : withoutSuggestions(formatted);
      return options.production ? withoutStack(shown) : shown;
    }
    // Unexpected errors are logged by the request-logging plugin, once per distinct error and request.
    return withoutStack({ ...formatted, message: 'Internal error', extensions: { code: ErrorCode.Internal } });
  };
}

/** Ours and graphql-js's own; by name too, for graphql's CommonJS build (@apollo/subgraph's). */
export function isExpectedError(error: unknown): boolean {
  return error instanceof GraphQLError || error instanceof CxoneError || (error instanceof Error && error.name === 'GraphQLError');
}

/** graphql-js suggests names in validation and in variable coercion; Apollo hides only the former. */
function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(/\s*Did you mean [^?]*\?/g, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions === undefined || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _ignored, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

const STATE_BY_CODE: Readonly<Partial<Record<ErrorCode, RecordingState>>> = {
  [ErrorCode.RecordingProcessing]: 'PROCESSING',
  [ErrorCode.RecordingLocked]: 'LOCKED',
  [ErrorCode.RecordingNotFound]: 'NOT_FOUND',
  [ErrorCode.SegmentArchived]: 'ARCHIVED',
  [ErrorCode.Forbidden]: 'FORBIDDEN',
  [ErrorCode.Unauthenticated]: 'UNAUTHENTICATED',
  [ErrorCode.RateLimited]: 'RATE_LIMITED',
};

export function upstreamStatusOf(error: unknown): number | undefined {
  return error instanceof CxoneError && error.kind === 'http' ? error.status : undefined;
}

/** A failed load as a state, from fromCxoneError so `recordingStatus` and the error agree; a bug stays an error. */
export function recordingStateOf(error: unknown):
  | { readonly state: RecordingState; readonly message: string; readonly retryAfterSeconds: number | null }
  | undefined {
  const mapped = error instanceof CxoneError ? fromCxoneError(error) : error instanceof AppError ? error : undefined;
  if (mapped === undefined || mapped.code === ErrorCode.BadUserInput) return undefined;
  const retry = mapped.extensions['retryAfterSeconds'];
  return {
    state: STATE_BY_CODE[mapped.code] ?? 'UNAVAILABLE',
    message: mapped.message,
    retryAfterSeconds: typeof retry === 'number' ? Math.ceil(retry) : null,
  };
}
