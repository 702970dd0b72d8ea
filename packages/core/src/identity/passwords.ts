import { hash, verify } from "@node-rs/argon2";
import { AppError } from "../errors.ts";

/**
 * Argon2id with the library's defaults (19 MiB, 2 passes, 1 lane): the OWASP minimum, about 30 ms here.
 * The parameters travel inside each hash, so raising them later re-hashes nobody and breaks nothing.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** True when `password` matches the stored Argon2id hash; a malformed hash is a mismatch. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verified against when the username is unknown, so an unknown name costs the same time as a wrong password.
let dummy: Promise<string> | undefined;
/** Spends one verification's time on nothing. */
export async function verifyNothing(password: string): Promise<void> {
  dummy ??= hash("beacon-dummy-password-for-timing");
  await verifyPassword(await dummy, password);
}

/** A small list of passwords seen most in breaches, lower-cased; long enough ones are the ones that matter. */
const common = new Set([
  "123456789012",
  "1234567890123",
  "12345678901234",
  "123456123456",
  "111111111111",
  "000000000000",
  "123123123123",
  "qwertyuiopas",
  "qwerty123456",
  "1q2w3e4r5t6y",
  "1qaz2wsx3edc",
  "qazwsxedcrfv",
  "password1234",
  "password12345",
  "password123456",
  "passw0rd1234",
  "p@ssw0rd1234",
  "p@ssword1234",
  "administrator",
  "administrator1",
  "admin1234567",
  "admin12345678",
  "adminadmin123",
  "welcome12345",
  "welcome123456",
  "iloveyou1234",
  "letmein12345",
  "changeme1234",
  "changeme12345",
  "abc123456789",
  "abcdefghijkl",
  "abcd1234abcd",
  "aaaaaaaaaaaa",
  "zaq12wsxcde3",
  "football1234",
  "baseball1234",
  "sunshine1234",
  "princess1234",
  "dragon123456",
  "monkey123456",
  "trustno11234",
  "superman1234",
  "woaini1314520",
  "woaini521521",
  "5201314520131",
  "a123456789012",
  "qq1234567890",
  "beacon123456",
  "beaconbeacon",
  "correcthorsebatterystaple",
]);

/** Refuses a password that is short, too long, the username (or contains it), or a common one; lists every reason. */
export function checkPasswordPolicy(username: string, password: string): void {
  const problems: string[] = [];
  const chars = [...password].length;
  if (chars < 12) problems.push("must be at least 12 characters");
  if (chars > 256) problems.push("must be at most 256 characters");
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  if (name && (lower === name || (name.length >= 3 && lower.includes(name)))) {
    problems.push("must not be or contain the username");
  }
  if (common.has(lower) || common.has(lower.replace(/[!.?]+$/, ""))) problems.push("is too common");
  if (chars >= 12 && new Set(password).size < 4) problems.push("must use at least 4 different characters");
  if (problems.length > 0) {
    throw new AppError("VALIDATION_FAILED", `password ${problems.join("; ")}`, { problems });
  }
}
