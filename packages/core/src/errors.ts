/** Every expected failure inside core is an AppError with one of these codes; surfaces map the code once. */
export const errorCodes = {
  INVALID_INPUT: { http: 400, exit: 2 },
  VALIDATION_FAILED: { http: 422, exit: 2 },
  NOT_FOUND: { http: 404, exit: 2 },
  CONFLICT: { http: 409, exit: 2 },
  UNAUTHENTICATED: { http: 401, exit: 2 },
  FORBIDDEN: { http: 403, exit: 2 },
  PAYLOAD_TOO_LARGE: { http: 413, exit: 2 },
  /** Too many attempts in a window (sign-in throttling); the caller may retry later. */
  RATE_LIMITED: { http: 429, exit: 2 },
  CONFIG: { http: 500, exit: 2 },
  INTERNAL: { http: 500, exit: 1 },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Structured detail safe to show to the caller (e.g. a validation report). */
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return errorCodes[this.code].http;
  }

  get exitCode(): number {
    return errorCodes[this.code].exit;
  }
}

export function invalidInput(message: string, details?: unknown): AppError {
  return new AppError("INVALID_INPUT", message, details);
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
