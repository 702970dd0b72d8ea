/**
 * The prohibition shape: a list of flag items (or amounts that must be zero), any one of which set is a
 * regulatory breach. A raised flag decides the outcome even when other flags are missing; otherwise
 * missing flags make the rule not computable.
 */
import { findItem, type ItemCode } from "../contract/items.ts";
import { fromInteger, ZERO } from "../metrics/decimal.ts";
import { formatValue } from "./explain.ts";
import { missingVerdict } from "./threshold-rule.ts";
import type { Bilingual, Rule, RuleHeader, Verdict, VerdictThreshold } from "./types.ts";

export interface ProhibitionRuleSpec<P> extends RuleHeader<P> {
  /** Flag items, or CNY items whose balance must be zero. */
  prohibited: readonly ItemCode[];
}

/** A rule breached when any of the prohibited items is set (flag "1" or a positive amount). */
export function prohibitionRule<P>(spec: ProhibitionRuleSpec<P>): Rule<P> {
  const { prohibited, ...header } = spec;
  const defs = prohibited.map((code) => {
    const def = findItem(code);
    if (!def) throw new Error(`Rule ${header.id}: unknown item ${code}`);
    if (def.unit !== "flag" && def.unit !== "CNY")
      throw new Error(`Rule ${header.id}: ${code} is neither a flag nor an amount`);
    return def;
  });
  const name: Bilingual = { en: header.en, zh: header.zh };
  const thresholds: readonly VerdictThreshold[] = [
    { line: "regulatory", comparator: "<=", value: ZERO, display: "count" },
  ];
  const allNames = { en: defs.map((d) => d.en).join("; "), zh: defs.map((d) => d.zh).join("；") };

  return {
    ...header,
    reads: prohibited,
    evaluate(ctx): Verdict {
      const raised: Bilingual[] = [];
      const missing: string[] = [];
      for (const def of defs) {
        const v = ctx.item(def.code);
        if (v === undefined) missing.push(def.code);
        else if (v.num > 0n) {
          raised.push(
            def.unit === "CNY"
              ? {
                  en: `${def.en} (${formatValue(v, "amount", "en")})`,
                  zh: `${def.zh}（${formatValue(v, "amount", "zh")}）`,
                }
              : { en: def.en, zh: def.zh },
          );
        }
      }
      const cite = ctx.citation;
      if (raised.length > 0) {
        return {
          kind: "breach_regulatory",
          line: "regulatory",
          value: { exact: fromInteger(raised.length), display: "count" },
          thresholds,
          explanation: {
            en: `Prohibited conduct reported: ${raised.map((r) => r.en).join("; ")} (${cite.en}).`,
            zh: `报告存在禁止行为：${raised.map((r) => r.zh).join("；")}（${cite.zh}）。`,
          },
        };
      }
      if (missing.length > 0) return missingVerdict(name, missing);
      return {
        kind: "pass",
        value: { exact: ZERO, display: "count" },
        thresholds,
        explanation: {
          en: `No prohibited conduct reported among: ${allNames.en} (${cite.en}).`,
          zh: `未报告禁止行为（检查项：${allNames.zh}）（${cite.zh}）。`,
        },
      };
    },
  };
}
