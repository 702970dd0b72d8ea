import { userInfo } from "node:os";
import { latestLakePeriod } from "@beacon/core/detectors/lake";
import { type DetectorInfo, listDetectors } from "@beacon/core/detectors/list-detectors";
import { parseParamPairs } from "@beacon/core/detectors/params";
import { type DetectionRun, runDetection } from "@beacon/core/detectors/run-detection";
import { AppError } from "@beacon/core/errors";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

type Result = DetectionRun | { detectors: DetectorInfo[] };

export const command = defineCommand<Result>({
  name: "detect",
  summary: "Run detectors over the lake for a period and store their findings",
  usage: `Usage: beacon detect <name>...|all [--period YYYY-MM] [--param detector.key=value]... [--memory 3GB] [--threads N] [--json]
       beacon detect --list [--json]

Runs the named detectors (and those whose findings they read) over the submissions current now, and stores the
run: the submissions read, each detector's version and full parameter set, and every finding with its evidence
and explanation. --period defaults to the latest month in the lake. --param overrides a parameter for this run
only (a what-if); --list shows every detector with its parameters and defaults.`,
  allowPositionals: true,
  options: {
    period: { type: "string" },
    param: { type: "string", multiple: true },
    list: { type: "boolean" },
    memory: { type: "string" },
    threads: { type: "string" },
  },
  async run({ values, positionals }, ctx) {
    if (values.list) return { detectors: listDetectors() };
    if (positionals.length === 0)
      throw new AppError("INVALID_INPUT", "name the detectors to run, or all (see --list)");
    const names = positionals.includes("all") ? "all" : positionals;
    const params = parseParamPairs((values.param as string[] | undefined) ?? []);
    const memory = values.memory as string | undefined;
    if (memory !== undefined && !/^[1-9][0-9]{0,4}(MB|GB)$/.test(memory))
      throw new AppError("INVALID_INPUT", `--memory must look like 3GB or 800MB (got "${memory}")`);
    const threads = values.threads as string | undefined;
    if (threads !== undefined && !/^[1-9][0-9]?$/.test(threads))
      throw new AppError("INVALID_INPUT", `--threads must be an integer from 1 to 99 (got "${threads}")`);
    return withBeacon(ctx, async (beacon) => {
      const period = (values.period as string | undefined) ?? (await latestLakePeriod(beacon.db));
      if (!period)
        throw new AppError(
          "INVALID_INPUT",
          "the lake holds no monthly period yet; ingest data or pass --period",
        );
      return runDetection(
        beacon,
        { detectors: names, period, params },
        {
          requestedBy: `cli:${userInfo().username}`,
          log: ctx.log,
          ...(memory ? { memoryLimit: memory } : {}),
          ...(threads ? { threads: Number(threads) } : {}),
        },
      );
    });
  },
  render(r) {
    if (!("runId" in r)) {
      const lines: string[] = [];
      for (const d of r.detectors) {
        lines.push(`${d.id} (v${d.version}, ${d.leadUnit}): ${d.en} / ${d.zh}`);
        for (const p of d.params)
          lines.push(`    ${d.id}.${p.name} = ${JSON.stringify(p.default)}  [${p.status}] ${p.en}`);
      }
      return lines.join("\n");
    }
    const lines = [
      `run ${r.runId} for ${r.period} (lake as of ${r.asOf})`,
      "detector                     status  findings  critical  high  medium  low       ms",
    ];
    for (const d of r.detectors) {
      const s = d.bySeverity;
      lines.push(
        `${d.detector.padEnd(28)} ${d.status.padEnd(6)} ${String(d.findings).padStart(9)} ${String(s.critical).padStart(9)} ${String(s.high).padStart(5)} ${String(s.medium).padStart(7)} ${String(s.low).padStart(4)} ${String(d.millis).padStart(8)}${d.error ? `\n    error: ${d.error.split("\n")[0]}` : ""}`,
      );
    }
    return lines.join("\n");
  },
  exitCode: (r) => ("runId" in r && r.detectors.some((d) => d.status === "error") ? 1 : 0),
});
