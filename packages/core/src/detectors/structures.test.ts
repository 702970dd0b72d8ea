import { describe, expect, test } from "vitest";
import { circularEndorsement } from "./circular-endorsement.ts";
import { claimRing } from "./claim-ring.ts";
import { disguisedDebt } from "./disguised-debt.ts";
import { guaranteeCircle } from "./guarantee-circle.ts";
import { productLeverage } from "./product-leverage.ts";
import { productNesting } from "./product-nesting.ts";
import { productTiering } from "./product-tiering.ts";
import { testContext, testLake } from "./test-lake.ts";

const defaults = <P>(d: { params: { schema: { parse(x: unknown): P } } }): P => d.params.schema.parse({});

function guarantee(id: string, from: string, to: string, amount = 1_000_000): Record<string, unknown> {
  return {
    guarantee_id: id,
    reporter_code: "BANK",
    period: "2026-09",
    guarantor_code: from,
    guaranteed_code: to,
    loan_id: `L-${to}`,
    amount,
    kind: "joint_liability",
    start_date: "2025-01-01",
    end_date: "2028-01-01",
    related_party: false,
  };
}

function entLoan(
  to: string,
  lender: string,
  outstanding: number,
  classification = "normal",
): Record<string, unknown> {
  return {
    loan_id: `L-${to}-${lender}`,
    lender_code: lender,
    period: "2026-09",
    borrower_type: "enterprise",
    borrower_code: to,
    principal: outstanding,
    outstanding,
    origination_date: "2025-01-01",
    maturity_date: "2028-01-01",
    nominal_rate: 0.04,
    upfront_fee: 0,
    periodic_fee: 0,
    other_fees: 0,
    repayment_method: "interest_only",
    term_months: 36,
    classification,
    real_estate: false,
    mortgage: false,
    lgfv: false,
  };
}

describe("guarantee circles", () => {
  test("a triangle and a mutual pair are circles; a chain is not; lenders' exposure to each circle is listed", async () => {
    const duck = await testLake({
      guarantees: [
        guarantee("g1", "A", "B"),
        guarantee("g2", "B", "C"),
        guarantee("g3", "C", "A"),
        guarantee("g4", "D", "E", 500_000),
        guarantee("g5", "E", "D", 700_000),
        guarantee("g6", "F", "G"),
        guarantee("g7", "G", "H"),
      ],
      loans: [
        entLoan("A", "BANK1", 3e7),
        entLoan("B", "BANK1", 2e7, "substandard"),
        entLoan("C", "BANK2", 1e7),
        entLoan("F", "BANK2", 5e6),
      ],
    });
    const found = await guaranteeCircle.run(testContext(duck), defaults(guaranteeCircle));
    duck.close();
    expect(found.map((f) => f.members)).toEqual([
      ["A", "B", "C"],
      ["D", "E"],
    ]);
    const [tri, pair] = found;
    expect(tri!.evidence.cyclesByLength).toEqual({ 3: 1 });
    expect(pair!.evidence.cyclesByLength).toEqual({ 2: 1 });
    expect(tri!.evidence.lenderExposure).toEqual([
      { lender: "BANK1", loans: 2, outstanding: 5e7, nonPerforming: 1, specialMention: 0 },
      { lender: "BANK2", loans: 1, outstanding: 1e7, nonPerforming: 0, specialMention: 0 },
    ]);
    expect(tri!.explanation.en).toBe(
      "Guarantee circle of 3 enterprises (0 mutual pair(s), 1 triangle(s), 1 cycle(s) up to length 8) guaranteeing RMB 3,000,000.00 to each other; 2 lender(s) have RMB 60,000,000.00 outstanding to its members, the largest BANK1 with RMB 50,000,000.00; 1 non-performing and 0 special-mention loan(s).",
    );
    expect(pair!.explanation.zh).toBe(
      "2 家企业形成担保圈（互保 1 对、三角担保 0 个、长度不超过8的担保环 1 个），相互担保金额 1,200,000.00 元；0 家贷款机构对圈内企业贷款余额 0.00 元。",
    );
  });
});

describe("circular endorsement", () => {
  test("bills endorsed around a circle back to the first holder", async () => {
    const e = (bill: string, seq: number, from: string, to: string) => ({
      bank_code: "BANK",
      period: "2026-09",
      bill_id: bill,
      sequence: seq,
      endorser_code: from,
      endorsee_code: to,
      endorsed_on: `2026-08-0${seq}`,
    });
    const duck = await testLake({
      bill_endorsements: [
        e("B1", 1, "X", "Y"),
        e("B1", 2, "Y", "Z"),
        e("B1", 3, "Z", "X"),
        e("B2", 1, "P", "Q"),
        e("B2", 2, "Q", "R"),
      ],
      bills: [
        {
          bill_id: "B1",
          bank_code: "BANK",
          period: "2026-09",
          role: "acceptor",
          drawer_code: "W",
          payee_code: "X",
          issue_date: "2026-07-01",
          maturity_date: "2026-12-01",
          face_amount: 2e6,
        },
      ],
      guarantees: [guarantee("g1", "X", "Y")],
    });
    const found = await circularEndorsement.run(testContext(duck), defaults(circularEndorsement));
    duck.close();
    expect(found).toHaveLength(1);
    expect(found[0]!.members).toEqual(["X", "Y", "Z"]);
    expect(found[0]!.evidence).toMatchObject({
      relatedPairs: 1,
      bills: [{ bill: "B1", bank: "BANK", endorsements: 3, face: 2e6, returnsToHolder: true }],
    });
    expect(found[0]!.explanation.en).toBe(
      "3 companies endorse bills to each other in a circle: 1 bill(s) of RMB 2,000,000.00 travel around it, 1 returning to a company that already held them; 1 pair(s) of them also guarantee each other.",
    );
  });
});

describe("claim rings", () => {
  function claim(id: string, who: string, over: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      claim_id: id,
      insurer_code: "INS",
      period: "2026-08",
      policy_id: `PL-${id}`,
      policy_start: "2026-06-01",
      claimant_id: who,
      claimant_phone: `ph-${who}`,
      claimant_address: `addr-${who}`,
      payee_account: `card-${who}`,
      vehicle_plate: null,
      hospital_id: "H1",
      incident_date: "2026-07-01",
      claim_date: "2026-07-05",
      amount: 10000,
      paid: null,
      status: "open",
      ...over,
    };
  }

  test("claimants sharing identifiers form a ring; hub values and pairs do not; patterns are counted", async () => {
    const claims = [
      // Ring: a, b, c share a phone; c and d share an address. Early claims just below the 50k threshold (d's second
      // claim comes 61 days after cover starts, c's policy is old).
      claim("1", "a", { claimant_phone: "ring-phone", amount: 48000 }),
      claim("2", "b", { claimant_phone: "ring-phone", amount: 47000 }),
      claim("3", "c", {
        claimant_phone: "ring-phone",
        claimant_address: "ring-addr",
        amount: 30000,
        policy_start: "2025-01-01",
      }),
      claim("4", "d", { claimant_address: "ring-addr", amount: 49500 }),
      claim("5", "d", { claimant_address: "ring-addr", amount: 1000, claim_date: "2026-08-01" }),
      // A pair sharing a card: below the smallest ring.
      claim("6", "e", { payee_account: "pair-card" }),
      claim("7", "f", { payee_account: "pair-card" }),
      // A hub: a garage's phone used by 13 claimants links nobody.
      ...Array.from({ length: 13 }, (_, i) => claim(`h${i}`, `hub${i}`, { claimant_phone: "garage" })),
    ];
    const duck = await testLake({ claims });
    const found = await claimRing.run(testContext(duck), defaults(claimRing));
    duck.close();
    expect(found).toHaveLength(1);
    const ring = found[0]!;
    expect(ring.members).toEqual(["a", "b", "c", "d"]);
    expect(ring.evidence.patterns).toEqual({
      claims: 5,
      early: 3,
      justBelowThreshold: 3,
      repeatedClaimants: 1,
      reviewThreshold: 50000,
    });
    expect(ring.explanation.en).toBe(
      "4 claimants linked by shared phone, address made 5 claim(s) totalling RMB 175,500.00 at 1 insurer(s); 3 within 60 days of cover starting (60%), 3 just below the RMB 50,000.00 review threshold (60%), 1 claimant(s) claiming more than once.",
    );
    expect(ring.explanation.zh).toBe(
      "4 名理赔人共用手机号、地址，在 1 家保险机构理赔 5 笔，合计 175,500.00 元；其中 3 笔在保单生效 60 天内出险（60%），3 笔金额略低于 50,000.00 元审核起点（60%），1 人多次理赔。",
    );
    // Hospitals link only when asked: every claimant here used hospital H1, a hub of 19 claimants.
    const duck2 = await testLake({ claims });
    const withHospital = await claimRing.run(
      testContext(duck2),
      claimRing.params.schema.parse({ link_attributes: "phone,hospital", hospital_max_degree: 30 }),
    );
    duck2.close();
    expect(withHospital[0]!.members).toHaveLength(19);
  });
});

describe("asset-management products", () => {
  function product(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      product_id: id,
      manager_code: "MGR",
      period: "2026-09",
      name: id,
      product_type: "securities_am",
      offering: "private",
      open_ended: false,
      tiered: false,
      priority_amount: null,
      subordinated_amount: null,
      asset_class: "fixed_income",
      total_assets: 100,
      net_assets: 100,
      repo_financing: 0,
      guaranteed_return: false,
      promised_rate: null,
      risk_level: "R3",
      filing_id: null,
      ...over,
    };
  }
  function holds(id: string, holder: string, held: string, value: number): Record<string, unknown> {
    return {
      holding_id: id,
      manager_code: "MGR",
      period: "2026-09",
      product_id: holder,
      asset_kind: "product",
      asset_product_id: held,
      issuer_code: null,
      market_value: value,
      fixed_return: false,
      buy_back: false,
    };
  }

  test("nesting depth counts layers below a product (public funds excepted); circles are flagged; look-through leverage", async () => {
    const duck = await testLake({
      products: [
        product("A", { total_assets: 110, net_assets: 100 }),
        product("B", { total_assets: 120, net_assets: 100 }),
        product("C", { total_assets: 150, net_assets: 100 }),
        product("D", { total_assets: 200, net_assets: 100 }),
        product("P", { total_assets: 130, net_assets: 100, offering: "public", product_type: "bank_wmp" }),
        product("F", {
          product_type: "public_fund",
          offering: "public",
          open_ended: true,
          total_assets: 120,
          net_assets: 100,
        }),
        product("G", { total_assets: 100, net_assets: 100 }),
        product("X", { total_assets: 100, net_assets: 100 }),
        product("Y", { total_assets: 100, net_assets: 100 }),
      ],
      product_holdings: [
        holds("h1", "A", "B", 50),
        holds("h2", "B", "C", 60),
        holds("h3", "C", "D", 80),
        holds("h4", "P", "F", 100),
        holds("h5", "G", "F", 50),
        holds("h6", "X", "Y", 10),
        holds("h7", "Y", "X", 10),
      ],
    });
    const ctx = testContext(duck);
    const nesting = await productNesting.run(ctx, defaults(productNesting));
    const leverage = await productLeverage.run(ctx, defaults(productLeverage));
    duck.close();
    expect(nesting.map((f) => [f.subjectId, f.members, f.evidence.depth])).toEqual([
      ["X", ["X", "Y"], "circular"],
      ["A", ["A", "B", "C", "D"], "3"],
    ]);
    expect(nesting[1]!.explanation.en).toBe(
      "Product A (MGR) invests through 3 layers of products, more than the 1 allowed: A -> B -> C -> D.",
    );
    // D 2.0; C = (150 - 80 + 80 x 2) / 100 = 2.3; B = (120 - 60 + 60 x 2.3) / 100 = 1.98; A = (110 - 50 + 50 x 1.98) / 100 = 1.59.
    // P holds a public fund at 1.2: (130 - 100 + 100 x 1.2) / 100 = 1.5 > 1.4 for a public product.
    expect(
      leverage.map((f) => [
        f.subjectId,
        Math.round((f.evidence.lookThroughLeverage as number) * 1000) / 1000,
        f.evidence.limit,
      ]),
    ).toEqual([
      ["C", 2.3, 2],
      ["P", 1.5, 1.4],
    ]);
    expect(leverage[1]!.explanation.en).toBe(
      "P (public product, MGR): look-through total assets are 150.00% of net assets, above the 140% limit (own balance sheet 130.00%); repo financing is 0.00% of net assets.",
    );
  });

  test("tiering: public and open-ended products may not be tiered; closed-end ratios by asset class", async () => {
    const duck = await testLake({
      products: [
        product("T1", { tiered: true, offering: "public", priority_amount: 50, subordinated_amount: 50 }),
        product("T2", { tiered: true, open_ended: true, priority_amount: 50, subordinated_amount: 50 }),
        product("T3", { tiered: true, asset_class: "equity", priority_amount: 60, subordinated_amount: 40 }),
        product("T4", {
          tiered: true,
          asset_class: "fixed_income",
          priority_amount: 75,
          subordinated_amount: 25,
        }),
        product("T5", { tiered: true, asset_class: "mixed", priority_amount: 70, subordinated_amount: 30 }),
      ],
    });
    const found = await productTiering.run(testContext(duck), defaults(productTiering));
    duck.close();
    expect(found.map((f) => [f.subjectId, f.evidence.problem])).toEqual([
      ["T1", "public_tiered"],
      ["T2", "open_ended_tiered"],
      ["T3", "ratio_above_limit"],
      ["T5", "ratio_above_limit"],
    ]);
    expect(found[2]!.explanation.en).toBe(
      "T3 (MGR), a equity product, has a priority-to-subordinated ratio of 1.5:1, above the 1:1 limit.",
    );
    expect(found[3]!.explanation.zh).toBe(
      "T5（MGR）为混合类产品，优先级与劣后级比例为 2.33:1，超过 2:1 的上限。",
    );
  });

  test("equity stakes with a fixed return or a buy-back are debt dressed as equity", async () => {
    const stake = (id: string, fixed: boolean, buyBack: boolean) => ({
      holding_id: id,
      manager_code: "MGR",
      period: "2026-09",
      product_id: "S",
      asset_kind: "equity_stake",
      issuer_code: "DEV",
      market_value: 40,
      fixed_return: fixed,
      buy_back: buyBack,
    });
    const duck = await testLake({
      products: [product("S", { total_assets: 100 })],
      product_holdings: [stake("s1", true, true), stake("s2", false, true), stake("s3", false, false)],
      loans: [{ ...entLoan("DEV", "BANK", 5e7), real_estate: true }],
    });
    const found = await disguisedDebt.run(testContext(duck), defaults(disguisedDebt));
    const strict = await disguisedDebt.run(
      testContext(duck),
      disguisedDebt.params.schema.parse({ require_both: "true" }),
    );
    duck.close();
    expect(found.map((f) => f.subjectId)).toEqual(["s1", "s2"]);
    expect(strict.map((f) => f.subjectId)).toEqual(["s1"]);
    expect(found[0]!.explanation.en).toBe(
      "Holding s1 of product S (MGR) is an equity stake in DEV worth RMB 40.00 (40.0% of the product) carrying a fixed return and a buy-back term: debt dressed as equity; the investee is a real-estate borrower.",
    );
  });
});
