import { z } from "zod";
import { appendAudit } from "../audit/append-audit.ts";
import type { SupervisoryUnit } from "../contract/institution-types.ts";
import type { Db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { checkPasswordPolicy, hashPassword } from "./passwords.ts";
import { assertAllowed } from "./policy.ts";
import { actorName, leadSectors, type Principal, roles, unitCodes, visibleSectors } from "./roles.ts";
import { toUser, type UserSummary, userColumns } from "./user-row.ts";

export const createUserInput = z.strictObject({
  username: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/, "2-64 letters, digits, dots, dashes, underscores or @"),
  password: z.string(),
  role: z.enum(roles),
  unit: z.enum(unitCodes as [SupervisoryUnit, ...SupervisoryUnit[]]).optional(),
  institution: z
    .string()
    .regex(/^[0-9A-Za-z]{18}$/, "must be an 18-character credit code")
    .optional(),
  districts: z.array(z.string().min(1).max(50)).min(1).max(50).optional(),
  displayName: z.string().max(200).optional(),
  email: z.email().max(254).optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;

/** Creates a user with one role and its scope (a unit, an institution, districts); the password must pass the policy. */
export async function createUser(db: Db, actor: Principal, input: CreateUserInput): Promise<UserSummary> {
  assertAllowed(actor, "users.create", { kind: "none" });
  const parsed = createUserInput.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`);
    throw new AppError("INVALID_INPUT", issues.join("; "), { issues });
  }
  const u = parsed.data;
  const unit = u.role === "finance_office" ? (u.unit ?? "finance_office") : u.unit;
  const problems: string[] = [];
  const supervisor =
    u.role === "lead_supervisor" || u.role === "coordinating_supervisor" || u.role === "finance_office";
  if (supervisor && !unit) problems.push(`--unit is required for the ${u.role} role`);
  if (!supervisor && unit) problems.push(`the ${u.role} role belongs to no unit`);
  if (u.role === "finance_office" && unit !== "finance_office")
    problems.push("the finance_office role is in the finance_office unit");
  if (u.role === "lead_supervisor" && unit && leadSectors(unit).length === 0) {
    problems.push(`${unit} leads no sector; make this user a coordinating_supervisor`);
  }
  if (supervisor && unit && visibleSectors(unit).length === 0)
    problems.push(`${unit} has no sector to supervise`);
  if (u.role === "institution" && !u.institution)
    problems.push("--institution is required for the institution role");
  if (u.role !== "institution" && u.institution)
    problems.push(`the ${u.role} role belongs to no institution`);
  if (
    u.districts &&
    u.role !== "lead_supervisor" &&
    u.role !== "coordinating_supervisor" &&
    u.role !== "finance_office"
  ) {
    problems.push("only supervisors are limited to districts");
  }
  if (problems.length > 0) throw new AppError("INVALID_INPUT", problems.join("; "), { problems });
  checkPasswordPolicy(u.username, u.password);
  const code = u.institution?.toUpperCase() ?? null;
  if (code) {
    const [inst] = await db.query("select 1 from institutions where code = $1", [code]);
    if (!inst) throw new AppError("INVALID_INPUT", `institution: no institution with credit code ${code}`);
  }
  const hash = await hashPassword(u.password);
  const id = await db.transaction(async (tx) => {
    const [taken] = await tx.query("select 1 from users where lower(username) = lower($1)", [u.username]);
    if (taken) throw new AppError("CONFLICT", `username ${u.username} is taken`);
    const [row] = await tx.query<{ id: string }>(
      `insert into users (username, display_name, email, password_hash, role, unit, institution_code, districts, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id::text`,
      [
        u.username,
        u.displayName ?? null,
        u.email ?? null,
        hash,
        u.role,
        unit ?? null,
        code,
        u.districts ?? null,
        actorName(actor),
      ],
    );
    const userId = Number(row!.id);
    await appendAudit(tx, {
      actor,
      action: "user.created",
      subjectKind: "user",
      subjectId: userId,
      detail: {
        username: u.username,
        role: u.role,
        unit: unit ?? null,
        institution: code,
        districts: u.districts ?? null,
      },
    });
    return userId;
  });
  const [created] = await db.query(`select ${userColumns} from users where id = $1`, [id]);
  return toUser(created!);
}
