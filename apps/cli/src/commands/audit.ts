import { readFileSync } from "node:fs";
import { type CheckedProof, checkProof } from "@beacon/core/audit/check-proof";
import type { InclusionProof } from "@beacon/core/audit/prove-entry";
import { proveEntry } from "@beacon/core/audit/prove-entry";
import { type Checkpoint, sealAudit } from "@beacon/core/audit/seal-audit";
import { type AuditVerification, verifyAudit } from "@beacon/core/audit/verify-audit";
import { AppError } from "@beacon/core/errors";
import { withBeacon } from "../beacon.ts";
import { defineCommand } from "../command.ts";

type Result =
  | { action: "verify"; verification: AuditVerification }
  | { action: "proof"; proof: InclusionProof; check: CheckedProof }
  | { action: "check"; check: CheckedProof; seq: number }
  | { action: "seal"; checkpoint: Checkpoint | null };

export const command = defineCommand<Result>({
  name: "audit",
  summary: "Verify the tamper-evident audit log, prove an entry's inclusion, or seal a checkpoint",
  usage: `Usage: beacon audit verify [--checkpoint N --hash H]
       beacon audit proof <entry-number>
       beacon audit check <proof.json>
       beacon audit seal

verify   walks the whole hash chain and every Merkle checkpoint and names each altered, inserted or deleted
         entry (exit code 2 when anything is wrong). With --checkpoint and --hash, also holds the log to a
         checkpoint published earlier, which catches a rewrite of the whole chain.
proof    prints the inclusion proof of an entry (a filing's audit entry, say) and checks it.
check    checks a proof saved as JSON (from \`proof --json\` or GET /api/audit/entries/{seq}/proof), offline.
seal     checkpoints the entries not yet sealed (one is sealed automatically every 64 entries).`,
  allowPositionals: true,
  options: { checkpoint: { type: "string" }, hash: { type: "string" } },
  async run({ values, positionals }, ctx) {
    const [action, arg, ...extra] = positionals;
    if (extra.length > 0) throw new AppError("INVALID_INPUT", "too many arguments");
    switch (action) {
      case "verify": {
        const cp = values.checkpoint as string | undefined;
        const hash = values.hash as string | undefined;
        if ((cp === undefined) !== (hash === undefined))
          throw new AppError("INVALID_INPUT", "--checkpoint and --hash go together");
        if (cp !== undefined && !/^[1-9][0-9]{0,15}$/.test(cp))
          throw new AppError("INVALID_INPUT", "--checkpoint must be a number");
        if (hash !== undefined && !/^[0-9a-f]{64}$/.test(hash))
          throw new AppError("INVALID_INPUT", "--hash must be 64 hex digits");
        return withBeacon(ctx, async (beacon) => ({
          action: "verify" as const,
          verification: await verifyAudit(
            beacon.db,
            cp && hash ? { expect: { checkpoint: Number(cp), hash } } : {},
          ),
        }));
      }
      case "proof": {
        if (!arg || !/^[1-9][0-9]{0,15}$/.test(arg))
          throw new AppError("INVALID_INPUT", "give the entry number: beacon audit proof 42");
        return withBeacon(ctx, async (beacon) => {
          const proof = await proveEntry(beacon.db, Number(arg));
          return { action: "proof" as const, proof, check: checkProof(proof) };
        });
      }
      case "check": {
        if (!arg) throw new AppError("INVALID_INPUT", "give the proof file: beacon audit check proof.json");
        let parsed: { proof?: InclusionProof } & Partial<InclusionProof>;
        try {
          parsed = JSON.parse(readFileSync(arg, "utf8"));
        } catch (e) {
          throw new AppError("INVALID_INPUT", `${arg}: not a readable JSON proof (${(e as Error).message})`);
        }
        const proof = (parsed.proof ?? parsed) as InclusionProof;
        if (!proof.entry || !proof.checkpoint || !Array.isArray(proof.path)) {
          throw new AppError(
            "INVALID_INPUT",
            `${arg}: not an inclusion proof (entry, path and checkpoint are needed)`,
          );
        }
        ctx.log(
          "checked offline: this shows the entry is in the checkpoint; compare the checkpoint hash with the published one",
        );
        return { action: "check" as const, check: checkProof(proof), seq: proof.entry.seq };
      }
      case "seal":
        return withBeacon(ctx, async (beacon) => ({
          action: "seal" as const,
          checkpoint: await sealAudit(beacon.db),
        }));
      default:
        throw new AppError("INVALID_INPUT", "say what to do: beacon audit verify|proof|check|seal");
    }
  },
  render(r) {
    switch (r.action) {
      case "verify": {
        const v = r.verification;
        const lines = [
          v.ok
            ? `OK: ${v.entries} entries, ${v.checkpoints} checkpoints; the chain and every sealed root verify.`
            : `TAMPERED: ${v.problems.length} problem(s) in ${v.entries} entries and ${v.checkpoints} checkpoints.`,
        ];
        for (const p of v.problems) lines.push(`  ${p.message}`);
        if (v.head)
          lines.push(
            `head: checkpoint ${v.head.checkpoint} (entries to ${v.head.toSeq}) hash ${v.head.hash}`,
          );
        if (v.unsealed > 0)
          lines.push(
            `${v.unsealed} entr${v.unsealed === 1 ? "y is" : "ies are"} not sealed yet (beacon audit seal)`,
          );
        return lines.join("\n");
      }
      case "proof": {
        const { proof: p, check } = r;
        return [
          `entry ${p.entry.seq}: ${p.entry.action} on ${p.entry.subjectKind} ${p.entry.subjectId ?? ""} by ${p.entry.actor} at ${p.entry.at}`,
          `entry hash ${p.entry.hash}`,
          `leaf ${p.leafIndex} of ${p.treeSize} in checkpoint ${p.checkpoint.id} (entries ${p.checkpoint.fromSeq}-${p.checkpoint.toSeq})`,
          ...p.path.map((h, i) => `  path[${i}] ${h}`),
          `root ${p.checkpoint.root}`,
          `checkpoint hash ${p.checkpoint.hash}`,
          check.valid
            ? "VALID: the entry is included in the sealed checkpoint."
            : `INVALID: ${check.problems.join("; ")}`,
        ].join("\n");
      }
      case "check":
        return r.check.valid
          ? `VALID: entry ${r.seq} is included in its checkpoint.`
          : `INVALID: ${r.check.problems.join("; ")}`;
      case "seal":
        return r.checkpoint
          ? `sealed checkpoint ${r.checkpoint.id}: entries ${r.checkpoint.fromSeq}-${r.checkpoint.toSeq}, hash ${r.checkpoint.hash}`
          : "nothing to seal: every entry is in a checkpoint";
    }
  },
  exitCode: (r) =>
    (r.action === "verify" && !r.verification.ok) ||
    ((r.action === "proof" || r.action === "check") && !r.check.valid)
      ? 2
      : 0,
});
