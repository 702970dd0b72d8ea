import { createHash, createHmac } from "node:crypto";

/** HMAC-SHA-256 of a normalised identifier, hex: how personal identifiers are kept (never raw). */
export function pseudonymise(key: Buffer, value: string): string {
  return createHmac("sha256", key).update(value, "utf8").digest("hex");
}

/**
 * The same HMAC-SHA-256 as DuckDB SQL, so millions of identifiers are hashed inside the lake engine: with the
 * beacon_intake extension where the DuckDB instance loaded it, else H((K ^ opad) || H((K ^ ipad) || m)) written with
 * DuckDB's sha256() and the padded key blocks precomputed here (RFC 2104). Both give pseudonymise()'s digests.
 */
export function hmacSql(key: Buffer, native: boolean): (expr: string) => string {
  // Keys longer than the hash block are hashed first (RFC 2104, section 2); HMAC with the hash is the same HMAC.
  const shortKey = key.length > 64 ? createHash("sha256").update(key).digest() : key;
  if (native) return (expr) => `beacon_hmac_sha256(unhex('${shortKey.toString("hex")}'), ${expr})`;
  const block = Buffer.alloc(64);
  shortKey.copy(block);
  const ipad = Buffer.from(block.map((b) => b ^ 0x36)).toString("hex");
  const opad = Buffer.from(block.map((b) => b ^ 0x5c)).toString("hex");
  return (expr) => `sha256(unhex('${opad}') || unhex(sha256(unhex('${ipad}') || encode(${expr}))))`;
}
