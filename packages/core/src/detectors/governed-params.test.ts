import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../db/client.ts";
import { decideParamProposal } from "../governance/decide-param-proposal.ts";
import { proposeParamChange } from "../governance/propose-param-change.ts";
import { testDb } from "../testing/db.ts";
import { detectorGovernance, detectorParamsInForce } from "./governed-params.ts";

let db: Db;
let today: string;
const alice = { name: "alice" };
const bob = { name: "bob" };

beforeAll(async () => {
  db = await testDb();
  const [r] = await db.query<{ d: string }>("select ((now() at time zone 'UTC')::date)::text as d");
  today = r!.d;
});
afterAll(async () => db.close());

describe("detector parameters under maker-checker", () => {
  test("every detector's parameters are governed; a change applies only once another user approves it", async () => {
    expect(detectorGovernance.rules.has("multiple_loans")).toBe(true);
    expect((await detectorParamsInForce(db)).overrides).toEqual({});

    const p = await proposeParamChange(db, detectorGovernance, alice, {
      ruleId: "multiple_loans",
      param: "min_lenders_individual",
      value: "6",
      reason: "Six lenders per individual, as decided by the finance office",
      effectiveFrom: today,
    });
    expect(p.status).toBe("pending");
    expect((await detectorParamsInForce(db)).overrides).toEqual({});
    await expect(
      decideParamProposal(db, detectorGovernance, alice, p.id, { decision: "approve" }),
    ).rejects.toMatchObject({ code: expect.any(String) });

    await decideParamProposal(db, detectorGovernance, bob, p.id, { decision: "approve" });
    const inForce = await detectorParamsInForce(db);
    expect(inForce.overrides).toEqual({ multiple_loans: { min_lenders_individual: 6 } });
    expect(inForce.governed).toEqual({ multiple_loans: { min_lenders_individual: p.id } });
  });

  test("a value outside the detector's schema is refused, naming the parameter", async () => {
    await expect(
      proposeParamChange(db, detectorGovernance, alice, {
        ruleId: "multiple_loans",
        param: "min_lenders_individual",
        value: "1",
        reason: "One lender is enough",
        effectiveFrom: today,
      }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("min_lenders_individual"),
    });
    await expect(
      proposeParamChange(db, detectorGovernance, alice, {
        ruleId: "multiple_loans",
        param: "k",
        value: "3",
        reason: "Unknown parameter",
        effectiveFrom: today,
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("unknown parameter") });
  });
});
