import type { SectorOutcome } from "@beacon/core/network/run-contagion";
import { useState } from "react";
import { type ApiError, apiPost } from "../../api/client.ts";
import { useApi } from "../../api/use-api.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { Card, ErrorView, Field, Loading, Stat } from "../../ui/common.tsx";

/** This panel's texts, bilingual, shown through `pick` (kept here so the panel stays in the network page's files). */
const text = {
  title: { zh: "存量网络压力情景", en: "Stress scenario on a stored period" },
  hint: {
    zh: "在已报送的机构间敞口上运行传染模型（POST /api/contagion）。每行一个冲击，多行合并为一个情景：default:机构代码、uniform:比例、sector:行业=比例（banking、securities、insurance、trust、local_finance）、asset:资产类别=比例（real_estate、mortgages、lgfv、loans、equity、fixed_income、margin_lending）。",
    en: "Runs a contagion method on the reported exposures between institutions (POST /api/contagion). One shock per line; several lines make one scenario: default:CODE, uniform:FRACTION, sector:NAME=FRACTION (banking, securities, insurance, trust, local_finance), asset:CLASS=FRACTION (real_estate, mortgages, lgfv, loans, equity, fixed_income, margin_lending).",
  },
  period: { zh: "期间", en: "Period" },
  method: { zh: "方法", en: "Method" },
  shocks: { zh: "冲击（每行一个）", en: "Shocks (one per line)" },
  run: { zh: "运行", en: "Run" },
  running: { zh: "运行中…", en: "Running…" },
  originalStress: { zh: "冲击压力", en: "Stress from the shock" },
  additionalStress: { zh: "传染新增压力", en: "Added by contagion" },
  losses: { zh: "损失（冲击 + 传染）", en: "Losses (shock + contagion)" },
  defaults: { zh: "违约（冲击 + 传染）", en: "Defaults (shock + contagion)" },
  sector: { zh: "行业", en: "Sector" },
  institutions: { zh: "机构数", en: "Institutions" },
  estimated: {
    zh: "{count}条敞口由{method}根据报表总额估算（{lenders}家机构未报送双边明细）。",
    en: "{count} exposure(s) estimated by {method} from reported totals ({lenders} institution(s) without bilateral reports).",
  },
  trace: {
    zh: "{method}，引擎版本{version}，{nodes}家机构，{edges}条敞口，敞口报送{subs}份。",
    en: "{method}, engine version {version}, {nodes} institutions, {edges} exposures, {subs} exposure submission(s).",
  },
  excluded: {
    zh: "{count}家有敞口但未报送资产负债表的机构未纳入网络。",
    en: "{count} institution(s) with exposures but no reported balance sheet are left out of the network.",
  },
  systemic: {
    zh: "系统重要性（单一机构违约的DebtRank影响）",
    en: "Systemic importance (DebtRank impact of each single default)",
  },
  systemicStored: { zh: "已存储的第{run}次运行", en: "stored run {run}" },
  systemicLive: { zh: "未存储，现场计算", en: "not stored: computed now" },
  rank: { zh: "排名", en: "Rank" },
  institution: { zh: "机构", en: "Institution" },
  impact: { zh: "影响", en: "Impact" },
} as const;

interface Scenario {
  scenario: string;
  originalStress: number;
  additionalStress: number;
  originalLosses: number;
  additionalLosses: number;
  initialDefaults: number;
  additionalDefaults: number;
  sectors?: SectorOutcome[];
}

interface ContagionAnswer {
  method: string;
  version: number;
  nodes: number;
  exposures: number;
  scenarios: Scenario[];
  provenance?: {
    exposureSubmissions: number[];
    estimated: { market: string; method: string; lenders: string[]; links: unknown[] }[];
    excluded: { id: string }[];
  };
}

interface SystemicAnswer {
  stored: boolean;
  runId: number | null;
  ranking: { rank: number; id: string; additionalStress: number; additionalDefaults: number }[];
}

const methods = ["debtrank", "eisenberg-noe", "furfine", "debtrank-single-hit", "threshold"] as const;

function lastMonth(): string {
  const d = new Date();
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
}

/** Scenarios on a stored period through the API, and the period's systemic-importance ranking. */
export function StoredContagion() {
  const { lang, label, num, pct } = useI18n();
  const say = (key: keyof typeof text, params?: Record<string, string | number>) =>
    pick(lang, text[key]).replace(/\{(\w+)\}/g, (m, k: string) =>
      params && k in params ? String(params[k]) : m,
    );
  const [period, setPeriod] = useState(lastMonth);
  const [method, setMethod] = useState<(typeof methods)[number]>("debtrank");
  const [shocks, setShocks] = useState("sector:trust=0.2\nasset:real_estate=0.1");
  const [answer, setAnswer] = useState<ContagionAnswer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const systemic = useApi<SystemicAnswer>(shown ? "/api/contagion/systemic" : null, { period: shown ?? "" });
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const shock = shocks
        .split("\n")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      setAnswer(
        await apiPost<ContagionAnswer>("/api/contagion", { period, method, shock, includeNodes: false }),
      );
      setShown(period);
    } catch (e) {
      setAnswer(null);
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const s = answer?.scenarios[0];
  return (
    <div className="split">
      <Card title={say("title")}>
        <p className="small">{say("hint")}</p>
        <Field label={say("period")}>
          <input type="month" value={period} onChange={(e) => setPeriod(e.target.value)} />
        </Field>
        <Field label={say("method")}>
          <select value={method} onChange={(e) => setMethod(e.target.value as (typeof methods)[number])}>
            {methods.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <Field label={say("shocks")}>
          <textarea rows={4} value={shocks} onChange={(e) => setShocks(e.target.value)} spellCheck={false} />
        </Field>
        <div className="button-row">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run()}>
            {busy ? say("running") : say("run")}
          </button>
        </div>
        {error ? <ErrorView error={error} /> : null}
        {answer && s ? (
          <>
            <p className="small muted">{s.scenario}</p>
            <div className="stats">
              <Stat label={say("originalStress")} value={pct(s.originalStress, 1)} />
              <Stat
                label={say("additionalStress")}
                value={pct(s.additionalStress, 1)}
                tone={s.additionalStress > 0.05 ? "bad" : undefined}
              />
              <Stat
                label={say("losses")}
                value={`${num(s.originalLosses, 0)} + ${num(s.additionalLosses, 0)}`}
              />
              <Stat
                label={say("defaults")}
                value={`${num(s.initialDefaults)} + ${num(s.additionalDefaults)}`}
                tone={s.additionalDefaults > 0 ? "bad" : undefined}
              />
            </div>
            {s.sectors ? (
              <table className="table dense">
                <thead>
                  <tr>
                    <th>{say("sector")}</th>
                    <th className="num">{say("institutions")}</th>
                    <th className="num">{say("originalStress")}</th>
                    <th className="num">{say("additionalStress")}</th>
                    <th className="num">{say("losses")}</th>
                    <th className="num">{say("defaults")}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.sectors.map((x) => (
                    <tr key={x.sector}>
                      <td>{label("sector", x.sector)}</td>
                      <td className="num">{num(x.institutions)}</td>
                      <td className="num">{pct(x.originalStress, 1)}</td>
                      <td className="num">{pct(x.additionalStress, 1)}</td>
                      <td className="num">{`${num(x.originalLosses, 0)} + ${num(x.additionalLosses, 0)}`}</td>
                      <td className="num">{`${num(x.initialDefaults)} + ${num(x.additionalDefaults)}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {answer.provenance?.excluded.length ? (
              <p className="small">{say("excluded", { count: num(answer.provenance.excluded.length) })}</p>
            ) : null}
            {(answer.provenance?.estimated ?? []).map((e) => (
              <p key={e.market} className="small">
                {say("estimated", {
                  count: num(e.links.length),
                  method: e.method,
                  lenders: num(e.lenders.length),
                })}
              </p>
            ))}
            <p className="card-note">
              {say("trace", {
                method: answer.method,
                version: answer.version,
                nodes: num(answer.nodes),
                edges: num(answer.exposures),
                subs: num(answer.provenance?.exposureSubmissions.length ?? 0),
              })}
            </p>
          </>
        ) : null}
      </Card>
      <Card title={say("systemic")}>
        {!shown ? null : systemic.error ? (
          <ErrorView error={systemic.error} />
        ) : !systemic.data ? (
          <Loading />
        ) : (
          <>
            <p className="small muted">
              {shown} ·{" "}
              {systemic.data.stored
                ? say("systemicStored", { run: systemic.data.runId ?? "" })
                : say("systemicLive")}
            </p>
            <table className="table dense">
              <thead>
                <tr>
                  <th className="num">{say("rank")}</th>
                  <th>{say("institution")}</th>
                  <th className="num">{say("impact")}</th>
                  <th className="num">{say("defaults")}</th>
                </tr>
              </thead>
              <tbody>
                {systemic.data.ranking.slice(0, 15).map((r) => (
                  <tr key={r.id}>
                    <td className="num">{num(r.rank)}</td>
                    <td>{r.id}</td>
                    <td className="num">{pct(r.additionalStress, 1)}</td>
                    <td className="num">{num(r.additionalDefaults)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Card>
    </div>
  );
}
