import { createHash, createHmac } from "node:crypto";

/** HMAC-SHA-256 of a normalised identifier, hex: how personal identifiers are kept (never raw). */
export function pseudonymise(key: Buffer, value: string): string {
  return createHmac("sha256", key).update(value, "utf8").digest("hex");
}

/**
 * The same HMAC-SHA-256 as DuckDB SQL, so millions of identifiers are hashed inside the lake engine:
 * H((K ^ opad) || H((K ^ ipad) || m)) with the padded key blocks precomputed here (RFC 2104).
 */
export function hmacSql(key: Buffer): (expr: string) => string {
  const block = Buffer.alloc(64);
  // Keys longer than the hash block are hashed first (RFC 2104, section 2).
  (key.length > 64 ? createHash("sha256").update(key).digest() : key).copy(block);
  const ipad = Buffer.from(block.map((b) => b ^ 0x36)).toString("hex");
  const opad = Buffer.from(block.map((b) => b ^ 0x5c)).toString("hex");
  return (expr) => `sha256(unhex('${opad}') || unhex(sha256(unhex('${ipad}') || encode(${expr}))))`;
}
