import { z } from "zod";
import { createCase } from "../cases/create-case.ts";
import type { CaseDetail } from "../cases/get-case.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { actorName, type Principal } from "../identity/roles.ts";
import { levelNames, type WarningLevel } from "../scoring/levels.ts";
import { loadWarning } from "./load-warning.ts";
import { warningItemAction } from "./warning-row.ts";

export const openCaseInput = z.strictObject({
  dueAt: z.iso.datetime({ offset: true }).optional(),
  note: z.string().max(20_000).default(""),
});

/** Case priority by warning level: the red ones are urgent. */
const priorityOf: Record<WarningLevel, "low" | "normal" | "high" | "urgent"> = {
  green: "low",
  blue: "low",
  yellow: "normal",
  orange: "high",
  red: "urgent",
};

/**
 * Opens a case on a warning (the workflow's entry point from early warning): the case cites the warning as its
 * source, takes its priority from the level and its description from the score's contributions, and the warning
 * records the case. Opening a second case on the same warning is refused by the case workflow (CONFLICT).
 */
export async function openCaseForWarning(
  db: Db,
  actor: Principal,
  warningId: number,
  input: z.input<typeof openCaseInput> = {},
): Promise<CaseDetail> {
  const o = openCaseInput.parse(input);
  const w = await loadWarning(db, actor, warningItemAction, warningId);
  if (w.status === "closed") throw new AppError("CONFLICT", `warning ${warningId} is closed`);
  const lines = w.contributions
    .slice(0, 8)
    .map((c) => `- [${c.component}] ${c.en} (+${c.points.toFixed(1)})`);
  const created = await createCase(db, actor, {
    title:
      `${levelNames[w.level].zh} ${levelNames[w.level].en}: ${w.institution.nameZh} (${w.lastPeriod}, score ${w.score.toFixed(1)})`.slice(
        0,
        200,
      ),
    description: [
      o.note,
      `Warning ${w.id}, opened ${w.openedPeriod}, score ${w.score.toFixed(1)} in ${w.lastPeriod}:`,
      ...lines,
    ]
      .filter((l) => l !== "")
      .join("\n"),
    source: { kind: "warning", ref: String(w.id) },
    institution: w.institution.code,
    priority: priorityOf[w.level],
    ...(o.dueAt ? { dueAt: o.dueAt } : {}),
  });
  await db.transaction(async (tx) => {
    await tx.query("update warnings set case_id = $2, updated_at = now() where id = $1", [
      warningId,
      created.id,
    ]);
    await tx.query(
      `insert into warning_history (warning_id, period, event, from_status, to_status, from_level, to_level, score, actor, note)
       values ($1, $2, 'case_opened', $3, $3, $4, $4, $5, $6, $7)`,
      [
        warningId,
        w.lastPeriod,
        w.status,
        w.level,
        w.score.toFixed(2),
        actorName(actor),
        `case ${created.id}`,
      ],
    );
  });
  return created;
}
