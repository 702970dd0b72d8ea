// `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name, lists the benchmarks.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const dir = new URL(".", import.meta.url);
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name> [args]\nbenchmarks: ${names.join(", ")}\n`);
  process.exit(name ? 2 : 0);
}
const r = spawnSync(process.execPath, [new URL(`${name}.ts`, dir).pathname, ...args], { stdio: "inherit" });
process.exit(r.status ?? 1);
