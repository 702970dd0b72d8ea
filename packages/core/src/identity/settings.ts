/** Session and sign-in limits. Changing them needs no migration: they are read at each check. */
export const authSettings = {
  /** A session unused for this long ends. */
  idleMinutes: 30,
  /** A session ends this long after sign-in, however busy. */
  absoluteHours: 12,
  /** last_seen_at is written at most this often, so reads do not each cost a write. */
  touchSeconds: 60,
  /** Consecutive failures that lock an account, and for how long. */
  lockoutFailures: 5,
  lockoutMinutes: 15,
  /** Failed sign-ins allowed from one client address within the window, across all usernames. */
  clientFailures: 20,
  clientWindowMinutes: 15,
  /** API tokens expire by default after this many days. */
  tokenDays: 365,
} as const;
