import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Context, Hono } from "hono";

/** Where `vite build` writes the console (apps/web/dist), unless BEACON_CONSOLE_DIR says otherwise. */
export const defaultConsoleDir = fileURLToPath(new URL("../../../web/dist", import.meta.url));

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** The console's pages load only their own files: no inline script, no other origin (air-gapped networks). */
const pageHeaders: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
};

interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
}

/**
 * Serves the built console: files from its folder (hashed assets cached for a year, gzip when the browser takes
 * it) and index.html for any other page path, so client-side routes survive a reload. Never answers under /api,
 * which stays the API's (its 404 included).
 */
export function registerConsole(app: Hono, dir = process.env.BEACON_CONSOLE_DIR ?? defaultConsoleDir): void {
  const root = resolve(dir);
  const cache = new Map<string, Asset>();
  const load = (file: string): Asset | null => {
    const hit = cache.get(file);
    if (hit) return hit;
    if (!existsSync(file) || !statSync(file).isFile()) return null;
    const body = readFileSync(file);
    const type = types[extname(file)] ?? "application/octet-stream";
    const asset = {
      body,
      type,
      gzip: /^(text|image\/svg)|javascript|json/.test(type) && body.length > 1024 ? gzipSync(body) : null,
    };
    cache.set(file, asset);
    return asset;
  };
  const send = (c: Context, asset: Asset, immutable: boolean) => {
    const headers: Record<string, string> = {
      ...pageHeaders,
      "Content-Type": asset.type,
      "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      Vary: "Accept-Encoding",
    };
    const gzip = asset.gzip && /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
    if (gzip) headers["Content-Encoding"] = "gzip";
    const body = gzip ? asset.gzip! : asset.body;
    return new Response(c.req.method === "HEAD" ? null : new Uint8Array(body), { status: 200, headers });
  };
  app.on(["GET", "HEAD"], "*", async (c, next) => {
    const path = c.req.path;
    if (path === "/api" || path.startsWith("/api/")) return next();
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, "");
    } catch {
      return c.text("bad path", 400);
    }
    const file = join(root, rel);
    if (rel && (file === root || file.startsWith(root + sep))) {
      const asset = load(file);
      if (asset) return send(c, asset, rel.startsWith(`assets${sep}`));
    }
    // A missing asset is a 404, not the page: a script answered with HTML only hides the real error.
    if (extname(rel) !== "") return c.text("not found", 404);
    const index = load(join(root, "index.html"));
    if (!index) {
      return c.text(
        "The console is not built: run `npm run build:web` (vite build --config apps/web/vite.config.ts).",
        503,
      );
    }
    return send(c, index, false);
  });
}
