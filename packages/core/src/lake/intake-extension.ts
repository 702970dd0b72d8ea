import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The beacon_intake DuckDB extension (packages/core/native/beacon_intake.c): intake's per-row hot spots in C, namely
 * HMAC-SHA-256 with SHA-NI (15 times cheaper than the same HMAC written with DuckDB's sha256()), and the exact
 * parsing and format checks of numbers, dates and identifiers (ADR 8). It is compiled on this machine at `npm ci` (postinstall) or,
 * when missing, on first use; where it cannot be, intake uses the SQL forms, which give the same results.
 */
const nativeDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "native");
const source = join(nativeDir, "beacon_intake.c");

export type IntakeExtension = { path: string } | { unavailable: string };

let cached: IntakeExtension | undefined;

/** The built extension for the current source, building it if needed; the reason when it cannot be had. */
export function intakeExtension(): IntakeExtension {
  if (process.env.BEACON_INTAKE_EXTENSION === "0")
    return { unavailable: "disabled by BEACON_INTAKE_EXTENSION=0" };
  cached ??= locateOrBuild();
  return cached;
}

function locateOrBuild(): IntakeExtension {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return { unavailable: `not built for ${process.platform} ${process.arch} (linux x64 only)` };
  }
  // One folder per source version, so a changed source is rebuilt rather than an old build loaded.
  const version = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 16);
  const dir = join(nativeDir, "build", version);
  // The file's base name must be the extension's name: DuckDB calls <base name>_init_c_api.
  const path = join(dir, "beacon_intake.duckdb_extension");
  if (existsSync(path)) return { path };
  try {
    build(dir, path);
    return { path };
  } catch (error) {
    return { unavailable: `not built: ${(error as Error).message.split("\n")[0]}` };
  }
}

function build(dir: string, path: string): void {
  const bindings = dirname(
    createRequire(import.meta.url).resolve("@duckdb/node-bindings-linux-x64/package.json"),
  );
  // Built beside its final place and renamed into it, so concurrent builds never expose a half-written file.
  const staging = join(dir, `building-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  try {
    const file = join(staging, "beacon_intake.duckdb_extension");
    execFileSync(
      process.env.CC ?? "cc",
      ["-O2", "-shared", "-fPIC", "-o", file, source, `-L${bindings}`, "-l:libduckdb.so"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    appendFileSync(file, extensionFooter());
    renameSync(file, path);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The 512-byte footer DuckDB reads before loading a file: eight 32-byte fields stored last-to-first (magic "4",
 * platform, C API version, extension version, ABI), then a 256-byte signature, empty here because Beacon loads it
 * with allow_unsigned_extensions. The C_STRUCT ABI ties the file to DuckDB's stable C API, not to one release.
 */
function extensionFooter(): Buffer {
  const footer = Buffer.alloc(512);
  const fields = ["4", "linux_amd64", "v1.2.0", "v1.0.0", "C_STRUCT"];
  fields.forEach((value, i) => {
    footer.write(value, 256 - 32 * (i + 1), "utf8");
  });
  return footer;
}
