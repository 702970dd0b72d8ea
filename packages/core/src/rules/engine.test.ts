import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { type EntityInput, entitiesFromFacts } from "./context.ts";
import { evaluatePack, evaluateRule } from "./engine.ts";
import { decimalParam, defineParams, parseParamAssignments, resolvePackParams } from "./params.ts";
import { prohibitionRule } from "./prohibition-rule.ts";
import { thresholdRule } from "./threshold-rule.ts";
import type { AnyRule, LegalBasis } from "./types.ts";

const basis: LegalBasis = {
  document: { en: "Test Measures", zh: "测试办法" },
  issuer: { en: "Test Issuer", zh: "测试机关" },
  year: 2020,
  article: { en: "Art. 1", zh: "第一条" },
  sources: ["S0"],
  status: "S",
};
const header = {
  version: 1,
  family: "test",
  severity: "high",
  appliesTo: { types: ["bank"] },
  effective: { from: "2020-01-01" },
  legalBasis: [basis],
  leadUnit: "cbrc_cq",
} as const;

const liquidity = thresholdRule({
  ...header,
  id: "test.liquidity",
  zh: "流动性比例",
  en: "Liquidity ratio",
  params: defineParams({
    minimum: decimalParam("0.25", { status: "confirmed", en: "Minimum", zh: "最低要求" }),
    warning: decimalParam("0.3", { status: "to_confirm", en: "Warning line", zh: "预警线", note: "A test." }),
  }),
  metric: "BANK_LIQUIDITY_RATIO",
  comparator: ">=",
  regulatory: "minimum",
  warning: "warning",
});

const boom: AnyRule = {
  ...header,
  id: "test.boom",
  zh: "故障规则",
  en: "Failing rule",
  reads: [],
  params: defineParams({}),
  evaluate() {
    throw new Error("boom");
  },
};

const needsFlag: AnyRule = {
  ...header,
  id: "test.needs_flag",
  zh: "需要标志",
  en: "Needs a flag",
  reads: ["FGC_SME_AGRI_FOCUS"],
  appliesTo: { types: ["financing_guarantee"] },
  params: defineParams({}),
  evaluate(ctx) {
    ctx.requireFlag("FGC_SME_AGRI_FOCUS");
    return { kind: "pass", explanation: { en: "ok", zh: "好" } };
  },
};

const ban = prohibitionRule({
  ...header,
  id: "test.ban",
  zh: "禁止",
  en: "Ban",
  params: defineParams({}),
  prohibited: ["BANK_ACCEPTANCE_MARGIN"],
});

const pack = [boom, liquidity, needsFlag, ban];
const bank = (facts: Record<string, string>, extra: Partial<EntityInput> = {}): EntityInput => ({
  institution: "915000002028300011",
  type: "bank",
  period: "2024-12",
  facts,
  ...extra,
});
const cite = "(Test Measures, Test Issuer, 2020, Art. 1)";

/** The error a function throws (undefined when it does not). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("evaluatePack", () => {
  it("turns an exception inside one rule into an error outcome and runs the others", () => {
    const outcomes = evaluatePack(pack, [bank({ BANK_LIQUID_ASSETS: "35", BANK_LIQUID_LIABILITIES: "100" })]);
    expect(outcomes.map((o) => [o.ruleId, o.kind])).toEqual([
      ["test.boom", "error"],
      ["test.liquidity", "pass"],
      ["test.ban", "not_computable"],
    ]);
    const error = outcomes[0]!;
    expect(error.explanation).toEqual({
      en: "Rule test.boom failed: boom",
      zh: "规则test.boom执行出错：boom",
    });
    expect(error.explanation.en).not.toMatch(/\n\s+at /);
    expect(error.severity).toBe("high");
  });

  it("turns a missing required item in a bespoke rule into not_computable", () => {
    const [o] = evaluatePack(
      [needsFlag],
      [{ institution: "X", type: "financing_guarantee", period: "2024-12" }],
    );
    expect(o!.kind).toBe("not_computable");
    expect(o!.missing).toEqual(["FGC_SME_AGRI_FOCUS"]);
    expect(o!.explanation.en).toBe(
      "Needs a flag cannot be assessed: missing FGC_SME_AGRI_FOCUS (Mainly serves small firms and agriculture).",
    );
  });

  it("applies valid parameter overrides, numbers included, and marks confirmed lines final", () => {
    const input = bank({ BANK_LIQUID_ASSETS: "28", BANK_LIQUID_LIABILITIES: "100" });
    const [byDefault] = evaluatePack([liquidity], [input]);
    expect(byDefault!.kind).toBe("breach_warning");
    expect(byDefault!.provisional).toBe(true);
    expect(byDefault!.explanation.en).toBe(
      `Liquidity ratio 28.00% is below the warning line 30.00%; the regulatory minimum is 25.00% ${cite}. [Threshold provisional: to be confirmed.]`,
    );
    const [overridden] = evaluatePack([liquidity], [input], {
      "test.liquidity": { minimum: 0.3, warning: "0.35" },
    });
    expect(overridden!.kind).toBe("breach_regulatory");
    expect(overridden!.provisional).toBeUndefined();
    expect(overridden!.params).toEqual({ minimum: "0.3", warning: "0.35" });
    expect(overridden!.explanation).toEqual({
      en: `Liquidity ratio 28.00% is below the regulatory minimum 30.00% ${cite}.`,
      zh: "流动性比例为28.00%，低于监管最低要求30.00%（《测试办法》，测试机关，2020年，第一条）。",
    });
  });

  it("a breach of a confirmed line is final even when another line is provisional", () => {
    const [o] = evaluatePack(
      [liquidity],
      [bank({ BANK_LIQUID_ASSETS: "20", BANK_LIQUID_LIABILITIES: "100" })],
    );
    expect(o!.kind).toBe("breach_regulatory");
    expect(o!.provisional).toBeUndefined();
  });

  it("refuses invalid overrides, naming every rule and parameter", () => {
    const problems = [
      "test.unknown: unknown rule",
      'test.liquidity.minimum: expected a non-negative decimal such as "0.05" or "1/3", got "abc"',
      "test.liquidity.maximum: unknown parameter",
    ];
    const error = thrown(() =>
      evaluatePack(pack, [], {
        "test.liquidity": { minimum: "abc", maximum: "1" },
        "test.unknown": { x: 1 },
      }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("INVALID_INPUT");
    expect((error as AppError).message).toBe(`Invalid parameter overrides: ${problems.join("; ")}`);
    expect((error as AppError).details).toEqual({ problems });
  });

  it("refuses a negative threshold", () => {
    expect(() => resolvePackParams([liquidity], { "test.liquidity": { minimum: "-0.1" } })).toThrow(
      /test\.liquidity\.minimum: expected a non-negative decimal/,
    );
  });

  it("validates entity inputs at the edge and lists every problem", () => {
    const bad: EntityInput[] = [
      bank({ BANK_LIQUID_ASSETS: "1,000", NOT_AN_ITEM: "1", SEC_NET_CAPITAL: "1" }),
      { institution: "X", type: "bank", period: "2024-13" },
    ];
    expect(() => evaluatePack(pack, bad)).toThrow(
      'Invalid entity input: 915000002028300011 2024-12: item BANK_LIQUID_ASSETS value "1,000": expected a decimal number; 915000002028300011 2024-12: unknown item NOT_AN_ITEM; 915000002028300011 2024-12: item SEC_NET_CAPITAL is not reported by bank; X 2024-13: malformed period (expected YYYY-MM or YYYY-Qn)',
    );
  });

  it("refuses duplicate rule ids", () => {
    expect(() => evaluatePack([liquidity, liquidity], [])).toThrow(
      "Duplicate rule id test.liquidity in pack",
    );
  });

  it("returns not-applicable outcomes only when asked", () => {
    const input = { institution: "X", type: "small_loan" as const, period: "2024-12" };
    expect(evaluatePack(pack, [input])).toEqual([]);
    const all = evaluatePack(pack, [input], {}, { includeNotApplicable: true });
    expect(all.map((o) => o.kind)).toEqual([
      "not_applicable",
      "not_applicable",
      "not_applicable",
      "not_applicable",
    ]);
    expect(all[1]!.explanation.en).toBe(
      "Not applicable: the rule covers Commercial bank; the entity's type is Small-loan company.",
    );
  });

  it("uses reported metric values instead of computing them", () => {
    const [o] = evaluatePack([liquidity], [bank({}, { metrics: { BANK_LIQUIDITY_RATIO: "0.5" } })]);
    expect(o!.kind).toBe("pass");
    expect(o!.value).toEqual({ exact: "0.5", number: 0.5, display: "percent" });
  });

  it("produces outcomes that serialise and spread as plain data, explanation included", () => {
    const [o] = evaluatePack([liquidity], [bank({ BANK_LIQUID_ASSETS: "1", BANK_LIQUID_LIABILITIES: "3" })]);
    const json = JSON.parse(JSON.stringify(o));
    expect(json.value).toEqual({ exact: "1/3", number: 1 / 3, display: "percent" });
    expect(json.explanation.en).toBe(
      `Liquidity ratio 33.33% meets the regulatory minimum 25.00% and the warning line 30.00% ${cite}. [Threshold provisional: to be confirmed.]`,
    );
    expect(json.thresholds).toEqual([
      { line: "warning", comparator: ">=", exact: "0.3", number: 0.3 },
      { line: "regulatory", comparator: ">=", exact: "0.25", number: 0.25 },
    ]);
    const copy = { ...o! };
    expect(copy.explanation).toEqual(o!.explanation);
    expect(Object.keys(copy)).toContain("explanation");
  });
});

describe("evaluateRule", () => {
  it("validates overrides for a single rule", () => {
    expect(() => evaluateRule(liquidity, bank({}), { minimum: "x" })).toThrow(
      'Invalid parameter test.liquidity.minimum: expected a non-negative decimal such as "0.05" or "1/3", got "x"',
    );
  });

  it("reports a prohibited amount with its value", () => {
    const o = evaluateRule(ban, bank({ BANK_ACCEPTANCE_MARGIN: "12.5" }));
    expect(o.explanation).toEqual({
      en: `Prohibited conduct reported: Acceptance margin deposits (RMB 12.50) ${cite}.`,
      zh: "报告存在禁止行为：承兑保证金余额（12.50元）（《测试办法》，测试机关，2020年，第一条）。",
    });
  });
});

describe("parseParamAssignments", () => {
  it("parses rule.param=value, JSON and booleans, grouping by rule", () => {
    expect(
      parseParamAssignments([
        "cn.bank.cet1_ratio.minimum=0.06",
        "cn.bank.cet1_ratio.conservationBuffer = 0.03",
        'cn.bank.provision_coverage.perBank={"915000002028300011":"1.4"}',
        "x.flag=true",
      ]),
    ).toEqual({
      "cn.bank.cet1_ratio": { minimum: "0.06", conservationBuffer: "0.03" },
      "cn.bank.provision_coverage": { perBank: { "915000002028300011": "1.4" } },
      x: { flag: true },
    });
  });

  it.each(["no-equals", "noDot=1", ".param=1", "rule.=1"])("refuses %j", (bad) => {
    expect(() => parseParamAssignments([bad])).toThrow(/Expected rule\.param=value/);
  });

  it("refuses broken JSON, naming the key", () => {
    expect(() => parseParamAssignments(["r.p={oops"])).toThrow("r.p: value is not valid JSON: {oops");
  });
});

describe("entitiesFromFacts", () => {
  it("groups facts by institution and month, a quarter joining its last month", () => {
    const registry = new Map([["915000002028300011", { type: "bank" as const, bankTier: 2 as const }]]);
    const entities = entitiesFromFacts(
      [
        { institution: "915000002028300011", period: "2024-03", item: "BANK_LIQUID_ASSETS", value: "1" },
        { institution: "915000002028300011", period: "2024-Q1", item: "BANK_RWA", value: "2" },
        { institution: "915000002028300011", period: "2024-02", item: "BANK_LIQUID_ASSETS", value: "3" },
      ],
      registry,
    );
    expect(entities).toEqual([
      {
        institution: "915000002028300011",
        type: "bank",
        bankTier: 2,
        period: "2024-03",
        facts: { BANK_LIQUID_ASSETS: "1", BANK_RWA: "2" },
      },
      {
        institution: "915000002028300011",
        type: "bank",
        bankTier: 2,
        period: "2024-02",
        facts: { BANK_LIQUID_ASSETS: "3" },
      },
    ]);
  });

  it("refuses facts of institutions missing from the registry", () => {
    expect(() =>
      entitiesFromFacts(
        [{ institution: "UNKNOWN", period: "2024-03", item: "BANK_RWA", value: "1" }],
        new Map(),
      ),
    ).toThrow("Facts for institutions not in the registry: UNKNOWN");
  });
});
