import { describe, expect, test } from "vitest";
import { billArbitrage } from "./bill-arbitrage.ts";
import { dualRecording } from "./dual-recording.ts";
import { flyingOrder } from "./flying-order.ts";
import { insuranceComplaints } from "./insurance-complaints.ts";
import { maturityWall } from "./maturity-wall.ts";
import { salesHotspots } from "./sales-hotspots.ts";
import { staleAssessment } from "./stale-assessment.ts";
import { suitability } from "./suitability.ts";
import { boundEvidence } from "./support.ts";
import { testContext, testLake } from "./test-lake.ts";
import type { FindingDraft } from "./types.ts";

const defaults = <P>(d: { params: { schema: { parse(x: unknown): P } } }): P => d.params.schema.parse({});

function sale(
  id: string,
  customer: string,
  risk: number,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    sale_id: id,
    institution_code: "BANK",
    period: "2026-08",
    customer_id: customer,
    product_id: "OWN1",
    issuer_code: "BANK",
    product_risk: `R${risk}`,
    employee_id: "E1",
    branch_id: "B1",
    sale_date: "2026-08-10",
    amount: 100000,
    channel: "counter",
    retail: true,
    recording_ref: `RV-${id}`,
    warning_signed: false,
    ...over,
  };
}

function assessment(
  customer: string,
  cls: number,
  on: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    institution_code: "BANK",
    period: "2026-09",
    customer_id: customer,
    assessed_on: on,
    risk_class: `C${cls}`,
    lowest_category: false,
    professional: false,
    ...over,
  };
}

describe("suitability", () => {
  test("above-class, lowest-category and unassessed sales are flagged against the latest assessment before the sale", async () => {
    const duck = await testLake({
      sales: [
        sale("s1", "c1", 4),
        sale("s2", "c2", 2),
        sale("s3", "c3", 5),
        sale("s4", "c4", 3),
        sale("s5", "c5", 3),
        sale("s6", "c6", 4),
      ],
      risk_assessments: [
        assessment("c1", 2, "2026-01-01"),
        assessment("c2", 1, "2026-01-01", { lowest_category: true }),
        assessment("c3", 4, "2026-01-01", { professional: true }),
        assessment("c4", 3, "2026-01-01"),
        // c5 was only assessed after the sale.
        assessment("c5", 5, "2026-09-01"),
        // c6: the later C4 assessment before the sale is the one that counts.
        assessment("c6", 2, "2025-01-01"),
        assessment("c6", 4, "2026-05-01"),
      ],
    });
    const found = await suitability.run(testContext(duck), defaults(suitability));
    duck.close();
    expect(found.map((f) => [f.subjectId, f.evidence.breach])).toEqual([
      ["s1", "above_class"],
      ["s2", "lowest_category"],
      ["s5", "no_assessment"],
    ]);
    expect(found[0]!.explanation.en).toBe(
      "Sale s1 by BANK (employee E1, branch B1) of OWN1 (R4, RMB 100,000.00) on 2026-08-10: the product is above the customer's class C2 (assessed 2026-01-01), with no signed warning.",
    );
    expect(found[1]!.explanation.zh).toBe(
      "BANK 于 2026-08-10 的销售 s2（员工 E1，网点 B1）：产品 OWN1（R2，100,000.00 元），客户属C1中风险承受能力最低类别（2026-01-01 评估），只能购买R1产品。",
    );
  });

  test("stale assessments are counted per seller", async () => {
    const sales = Array.from({ length: 12 }, (_, i) => sale(`s${i}`, `c${i}`, 1));
    const assessments = sales.map((s, i) =>
      assessment(String(s.customer_id), 3, i < 10 ? "2024-06-01" : "2026-06-01"),
    );
    const duck = await testLake({ sales, risk_assessments: assessments });
    const found = await staleAssessment.run(testContext(duck), defaults(staleAssessment));
    duck.close();
    expect(found).toHaveLength(1);
    expect(found[0]!.explanation.en).toBe(
      "BANK made 10 of 12 sales (83.3%) on a risk assessment older than 365 days (median age 800 days, oldest 800).",
    );
  });
});

describe("dual recording and flying orders", () => {
  test("retail counter and agent sales need a recording; online sales and professional customers do not", async () => {
    const duck = await testLake({
      sales: [
        sale("r1", "c1", 2, { recording_ref: null }),
        sale("r2", "c2", 2, { recording_ref: null, channel: "agent" }),
        sale("r3", "c3", 2, { recording_ref: null, channel: "online" }),
        sale("r4", "c4", 2, { recording_ref: null, retail: false }),
        sale("r5", "c5", 2),
      ],
    });
    const found = await dualRecording.run(testContext(duck), defaults(dualRecording));
    duck.close();
    expect(found.map((f) => f.subjectId)).toEqual(["r1", "r2"]);
    expect(found[0]!.explanation.en).toBe(
      "Retail counter sale r1 by BANK (employee E1, branch B1) of OWN1 (R2, RMB 100,000.00) on 2026-08-10 has no audio-video recording.",
    );
  });

  test("sales of products neither issued by nor authorised to the seller are flying orders", async () => {
    const filing = (id: string, inst: string, product: string, role: string, status = "filed") => ({
      filing_id: id,
      institution_code: inst,
      period: "2026-09",
      product_id: product,
      issuer_code: role === "issuer" ? inst : "FUND",
      role,
      filed_on: "2025-01-01",
      risk_level: "R3",
      status,
    });
    const duck = await testLake({
      sales: [
        sale("f1", "c1", 3, { product_id: "OWN1" }),
        sale("f2", "c2", 3, { product_id: "AGENCY", issuer_code: "FUND" }),
        sale("f3", "c3", 3, { product_id: "OTHER", issuer_code: "FUND" }),
        sale("f4", "c4", 3, { product_id: "GHOST", issuer_code: "NOBODY" }),
        sale("f5", "c5", 3, { product_id: "DROPPED", issuer_code: "FUND" }),
      ],
      product_filings: [
        filing("a", "BANK", "OWN1", "issuer"),
        filing("b", "FUND", "AGENCY", "issuer"),
        filing("c", "BANK", "AGENCY", "agent"),
        filing("d", "FUND", "OTHER", "issuer"),
        filing("e", "FUND", "DROPPED", "issuer"),
        filing("f", "BANK", "DROPPED", "agent", "withdrawn"),
      ],
    });
    const found = await flyingOrder.run(testContext(duck), {});
    duck.close();
    expect(found.map((f) => [f.subjectId, f.evidence.reason])).toEqual([
      ["f3", "not_authorised"],
      ["f4", "unfiled_product"],
      ["f5", "agency_withdrawn"],
    ]);
    expect(found[1]!.explanation.en).toBe(
      "Sale f4 by BANK (employee E1, branch B1) of GHOST (issuer NOBODY, R3, RMB 100,000.00) on 2026-08-10: the product appears in no filing at all.",
    );
  });

  test("employees and branches behind several flagged sales are hotspots", () => {
    const f = (detector: string, id: string, employee: string): FindingDraft => ({
      subjectKind: "sale",
      subjectId: id,
      memberKind: "sale",
      members: [id],
      institutions: ["BANK"],
      severity: "high",
      score: 60,
      explanation: { en: "", zh: "" },
      evidence: { seller: "BANK", employee, branch: "B1", amount: 1000, detector },
    });
    const prior = new Map<string, FindingDraft[]>([
      ["suitability", [f("suitability", "s1", "E1"), f("suitability", "s2", "E1")]],
      [
        "flying_order",
        [f("flying_order", "s3", "E1"), f("flying_order", "s4", "E2"), f("flying_order", "s5", "E3")],
      ],
    ]);
    const found = salesHotspots.run(testContext(null as never, "2026-09", prior), defaults(salesHotspots));
    return found.then((list) => {
      expect(list.map((x) => [x.subjectKind, x.subjectId, x.members])).toEqual([
        ["branch", "BANK:B1", ["s1", "s2", "s3", "s4", "s5"]],
        ["employee", "BANK:E1", ["s1", "s2", "s3"]],
      ]);
      expect(list[1]!.explanation.en).toBe(
        "Employee E1 of BANK is behind 3 flagged sales (2 suitability, 1 flying order) worth RMB 3,000.00.",
      );
    });
  });
});

describe("complaints about internet insurance", () => {
  test("internet complaints describing mis-selling by insurers or insurance sold by others are counted per target", async () => {
    const c = (id: string, target: string, text: string) => ({
      complaint_id: id,
      receiver_code: "OFFICE",
      period: "2026-08",
      target_code: target,
      received_on: "2026-08-03",
      channel: "online",
      category: "mis_selling",
      text,
    });
    const duck = await testLake(
      {
        complaints: [
          c("1", "INS", "在APP上投保时页面默认勾选了附加险，客服说首月0元"),
          c(
            "2",
            "INS",
            "Bought through the mobile app; the agent gave a guaranteed return that was misleading",
          ),
          c("3", "INS", "直播间推荐的保险夸大收益，与销售人员介绍不一致"),
          c("4", "INS", "营业厅排队太久"),
          c("5", "PLATFORM", "该网络平台无资质销售保险，保费转入个人账户收款"),
          c("6", "PLATFORM", "小程序里买的保险是假保单，无资质"),
          c("7", "PLATFORM", "通过公众号链接投保，对方非持牌，冒充保险公司"),
        ],
      },
      [
        { code: "INS", type: "life_insurer" },
        { code: "PLATFORM", type: "watched_company" },
      ],
    );
    const found = await insuranceComplaints.run(testContext(duck), defaults(insuranceComplaints));
    duck.close();
    expect(found.map((f) => [f.subjectId, f.evidence.signal, f.evidence.complaints])).toEqual([
      ["PLATFORM", "unlicensed_operation", 3],
      ["INS", "mis_selling", 3],
    ]);
  });
});

describe("bills and bonds", () => {
  test("discount proceeds placed back above the discount rate, or in structured deposits, are grouped by bank and company", async () => {
    const bill = (id: string, payee: string, placement: string, rate: number | null, discount = 0.015) => ({
      bill_id: id,
      bank_code: "BANK",
      period: "2026-09",
      role: "discounter",
      drawer_code: "DRAWER",
      payee_code: payee,
      issue_date: "2026-07-01",
      maturity_date: "2026-12-28",
      face_amount: 10_000_000,
      discount_date: "2026-07-02",
      discount_rate: discount,
      proceeds_placement: placement,
      placement_rate: rate,
    });
    const duck = await testLake({
      bills: [
        bill("b1", "CO1", "structured_deposit", 0.025),
        bill("b2", "CO1", "time_deposit", 0.02),
        bill("b3", "CO2", "time_deposit", 0.009),
        bill("b4", "CO3", "demand_deposit", 0.002),
        bill("b5", "CO4", "wmp", 0.01),
      ],
    });
    const found = await billArbitrage.run(testContext(duck), defaults(billArbitrage));
    duck.close();
    expect(found.map((f) => [f.subjectId, f.members])).toEqual([
      ["BANK:CO1", ["b1", "b2"]],
      ["BANK:CO4", ["b5"]],
    ]);
    expect(found[0]!.explanation.en).toBe(
      "CO1 discounted 2 bill(s) of RMB 20,000,000.00 at BANK and placed the proceeds back in structured deposit, time deposit at on average 0.75% above the discount rate (about RMB 73,561.64 over the bills' life).",
    );
  });

  test("several bonds of one issuer maturing in one month, with the issuer's stress and who is exposed", async () => {
    const bond = (id: string, issuer: string, date: string, amount: number, coupon = 0.07) => ({
      bond_id: id,
      reporter_code: "SEC",
      period: "2026-09",
      issuer_code: issuer,
      bond_type: "corporate",
      maturity_date: date,
      outstanding: amount,
      coupon,
    });
    const duck = await testLake({
      bond_maturities: [
        bond("w1", "ISS", "2026-12-03", 6e8),
        bond("w2", "ISS", "2026-12-20", 8e8),
        bond("w3", "ISS", "2028-01-10", 2e8),
        // One bond a month is no wall; two small ones are below the amount.
        bond("n1", "OK1", "2026-12-03", 9e8, 0.03),
        bond("n2", "OK1", "2027-03-03", 9e8, 0.03),
        bond("s1", "OK2", "2027-02-01", 1e8, 0.03),
        bond("s2", "OK2", "2027-02-11", 1e8, 0.03),
      ],
      loans: [
        {
          loan_id: "L1",
          lender_code: "BANK",
          period: "2026-09",
          borrower_type: "enterprise",
          borrower_code: "ISS",
          principal: 3e8,
          outstanding: 3e8,
          origination_date: "2025-01-01",
          maturity_date: "2028-01-01",
          nominal_rate: 0.05,
          upfront_fee: 0,
          periodic_fee: 0,
          other_fees: 0,
          repayment_method: "interest_only",
          term_months: 36,
          classification: "substandard",
          real_estate: true,
          mortgage: false,
          lgfv: false,
        },
      ],
      exposures: [
        {
          exposure_id: "x1",
          lender_code: "BANK2",
          period: "2026-09",
          borrower_code: "ISS",
          exposure_type: "bond_holding",
          amount: 2e7,
        },
      ],
      product_holdings: [
        {
          holding_id: "h1",
          manager_code: "AMC",
          period: "2026-09",
          product_id: "PR",
          asset_kind: "bond",
          issuer_code: "ISS",
          market_value: 5e7,
          fixed_return: true,
          buy_back: false,
        },
      ],
    });
    const prior = new Map<string, FindingDraft[]>([
      [
        "guarantee_circle",
        [
          {
            subjectKind: "guarantee_circle",
            subjectId: "GC-1",
            memberKind: "enterprise",
            members: ["ISS", "X"],
            institutions: [],
            severity: "high",
            score: 70,
            explanation: { en: "", zh: "" },
            evidence: {},
          },
        ],
      ],
    ]);
    const found = await maturityWall.run(testContext(duck, "2026-09", prior), defaults(maturityWall));
    duck.close();
    expect(found.map((f) => f.subjectId)).toEqual(["ISS"]);
    expect(found[0]!.institutions).toEqual(["BANK", "BANK2", "AMC", "SEC"]);
    expect(found[0]!.explanation.en).toBe(
      "Issuer ISS has 2 bonds of RMB 1,400,000,000.00 maturing in 2026-12 (88% of its bonds outstanding), while under stress: 1 loan(s) classified special mention or worse; coupons averaging 7.00%; also in guarantee_circle findings; banks lend it or hold its bonds for RMB 320,000,000.00 and products hold RMB 50,000,000.00 of its assets.",
    );
  });
});

describe("evidence", () => {
  test("is bounded: long lists are cut with a count, long texts shortened, oversized documents reduced to scalars", () => {
    const e = boundEvidence({
      list: Array.from({ length: 120 }, (_, i) => i),
      text: "x".repeat(900),
      n: 1 / 3,
    });
    expect((e.list as unknown[]).length).toBe(51);
    expect((e.list as unknown[])[50]).toEqual({ omitted: 70 });
    expect((e.text as string).length).toBe(501);
    expect(e.n).toBe(0.333333);
    const big = boundEvidence({
      rows: Array.from({ length: 50 }, () => ({ t: "y".repeat(490), u: "z".repeat(490) })),
      k: 7,
    });
    expect(big).toEqual({ truncated: "evidence above 32 KB: lists and objects dropped", k: 7 });
  });
});
