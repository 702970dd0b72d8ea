import { levelColors, lineChart, type ReferenceLine } from "@beacon/core/charts/scene";
import type { InstitutionProfile } from "@beacon/core/reports/build-institution-profile";
import { useState } from "react";
import {
  breachOf,
  type FindingView,
  findingOf,
  formatDisplay,
  itemsOf,
  warningOf,
} from "../../api/shapes.ts";
import { useApi } from "../../api/use-api.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { graphOfFinding } from "../../lib/finding-graph.ts";
import { instName, typeName } from "../../lib/labels.ts";
import { hasRole, leaderRoles, useSession } from "../../session.ts";
import { Async, Badge, Card, Empty, ErrorView, LevelBadge, Link, Loading, Page } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";
import { ForceGraph } from "../../ui/force-graph.tsx";
import { SceneSvg } from "../../ui/scene-svg.tsx";
import { type CaseSeed, OpenCaseDialog } from "../workflow/open-case-dialog.tsx";
import { NetworkPositionCard } from "./network-position.tsx";

interface Detail {
  code: string;
  nameZh: string;
  nameEn: string;
  type: string;
  sector: string;
  district: string;
  bankTier: number | null;
  totalAssets: string | null;
  parentCode: string | null;
  groupCode: string | null;
  status: string;
  licences: { licenceNo: string; kind: string; issuedOn: string; expiresOn: string | null; status: string }[];
  submissions: { dataset: string; periods: number; latestPeriod: string; rows: number }[];
}

export function InstitutionPage({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const detail = useApi<Detail>(`/api/institutions/${encodeURIComponent(code)}`);
  const session = useSession();
  const [seed, setSeed] = useState<CaseSeed | null>(null);
  const d = detail.data;
  return (
    <Page
      title={d ? instName(lang, d) : code}
      actions={
        d && hasRole(session, leaderRoles) ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() =>
              setSeed({
                title: t("cases.concernAbout", { name: instName(lang, d) }),
                source: { kind: "manual", ref: d.code },
                institution: d.code,
              })
            }
          >
            {t("cases.open")}
          </button>
        ) : null
      }
    >
      <Async state={detail}>{(x) => <Profile d={x} onOpenCase={setSeed} />}</Async>
      {seed ? <OpenCaseDialog seed={seed} onClose={() => setSeed(null)} /> : null}
    </Page>
  );
}

function Profile({ d, onOpenCase }: { d: Detail; onOpenCase: (s: CaseSeed) => void }) {
  const { t, lang, label, num, date } = useI18n();
  const profile = useApi<InstitutionProfile>(`/api/reports/institutions/${d.code}`);
  return (
    <>
      <dl className="facts">
        <div>
          <dt>{t("inst.code")}</dt>
          <dd>{d.code}</dd>
        </div>
        <div>
          <dt>{t("inst.type")}</dt>
          <dd>{typeName(lang, d.type)}</dd>
        </div>
        <div>
          <dt>{t("inst.sector")}</dt>
          <dd>{label("sector", d.sector)}</dd>
        </div>
        <div>
          <dt>{t("inst.district")}</dt>
          <dd>{d.district}</dd>
        </div>
        <div>
          <dt>{t("inst.status")}</dt>
          <dd>{label("instStatus", d.status)}</dd>
        </div>
        <div>
          <dt>{t("inst.totalAssets")}</dt>
          <dd>{d.totalAssets === null ? "–" : num(Number(d.totalAssets))}</dd>
        </div>
        {d.bankTier !== null ? (
          <div>
            <dt>{t("inst.bankTier")}</dt>
            <dd>{d.bankTier}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("overview.level")}</dt>
          <dd>{profile.data ? <LevelBadge level={profile.data.level} /> : "…"}</dd>
        </div>
        {d.parentCode ? (
          <div>
            <dt>{t("inst.parent")}</dt>
            <dd>
              <Link to={`/institutions/${d.parentCode}`}>{d.parentCode}</Link>
            </dd>
          </div>
        ) : null}
      </dl>
      <Card title={t("profile.indicators")} wide>
        <Async state={profile}>{(p) => <IndicatorCharts p={p} />}</Async>
      </Card>
      <Card title={t("profile.breaches")} wide>
        <Async state={profile}>{(p) => <Breaches p={p} code={d.code} onOpenCase={onOpenCase} />}</Async>
      </Card>
      <div className="grid-2">
        <Card title={t("profile.warnings")}>
          <InstitutionWarnings code={d.code} />
        </Card>
        <Card title={t("profile.cases")}>
          <InstitutionCases code={d.code} />
        </Card>
      </div>
      <NetworkPositionCard code={d.code} />
      <Card title={t("profile.findings")} wide>
        <InstitutionFindings code={d.code} />
      </Card>
      <div className="grid-2">
        <Card title={t("profile.licences")}>
          <DataTable
            caption={t("profile.licences")}
            rows={d.licences}
            rowKey={(l) => l.licenceNo}
            dense
            columns={[
              { id: "no", header: t("profile.licenceNo"), value: (l) => l.licenceNo },
              { id: "kind", header: t("inst.type"), value: (l) => typeName(lang, l.kind) },
              { id: "issued", header: t("profile.issued"), value: (l) => l.issuedOn },
              { id: "expires", header: t("profile.expires"), value: (l) => l.expiresOn ?? "" },
              { id: "status", header: t("inst.status"), value: (l) => label("licenceStatus", l.status) },
            ]}
          />
        </Card>
        <Card title={t("profile.submissions")}>
          <DataTable
            caption={t("profile.submissions")}
            rows={d.submissions}
            rowKey={(s) => s.dataset}
            dense
            columns={[
              { id: "dataset", header: t("intake.dataset"), value: (s) => s.dataset },
              {
                id: "periods",
                header: t("profile.periods"),
                value: (s) => s.periods,
                cell: (s) => num(s.periods),
                align: "right",
              },
              { id: "latest", header: t("profile.latestPeriod"), value: (s) => s.latestPeriod },
              {
                id: "rows",
                header: t("overview.rows"),
                value: (s) => s.rows,
                cell: (s) => num(s.rows),
                align: "right",
              },
            ]}
          />
          <p className="card-note">{t("profile.asOf", { date: date(new Date().toISOString()) })}</p>
        </Card>
      </div>
    </>
  );
}

function IndicatorCharts({ p }: { p: InstitutionProfile }) {
  const { t, lang, num, pct } = useI18n();
  const [all, setAll] = useState(false);
  if (p.series.length === 0) return <Empty text={t("profile.noIndicators")} />;
  const shown = all ? p.series : p.series.slice(0, 6);
  return (
    <>
      <div className="mini-charts">
        {shown.map((s) => {
          const lines: ReferenceLine[] = [];
          if (s.warningLine !== null)
            lines.push({ value: s.warningLine, label: t("lines.warning"), color: "#b58900" });
          if (s.regulatoryLine !== null)
            lines.push({ value: s.regulatoryLine, label: t("lines.regulatory"), color: levelColors.red! });
          const breached = s.kinds.includes("breach_regulatory")
            ? "bad"
            : s.kinds.includes("breach_warning")
              ? "warn"
              : "ok";
          return (
            <figure key={s.ruleId} className="mini-chart">
              <figcaption>
                {pick(lang, s.rule)} <Badge text={t(`profile.state.${breached}`)} tone={breached} />
              </figcaption>
              <SceneSvg
                label={pick(lang, s.rule)}
                scene={lineChart({
                  width: 360,
                  height: 190,
                  categories: p.periods,
                  series: [{ name: t("profile.value"), values: s.values }],
                  lines,
                  format: (n) => formatDisplay(n, s.display, { num, pct }),
                })}
              />
              <p className="small muted">{pick(lang, s.legalBasis)}</p>
            </figure>
          );
        })}
      </div>
      {p.series.length > 6 ? (
        <button type="button" className="btn" onClick={() => setAll((a) => !a)}>
          {all ? t("common.showFewer") : t("common.showAll", { count: num(p.series.length) })}
        </button>
      ) : null}
    </>
  );
}

type Breach = InstitutionProfile["breaches"][number];

function Breaches({
  p,
  code,
  onOpenCase,
}: {
  p: InstitutionProfile;
  code: string;
  onOpenCase: (s: CaseSeed) => void;
}) {
  const { t, lang, label, num, pct } = useI18n();
  const session = useSession();
  const canOpen = hasRole(session, leaderRoles);
  const columns: Column<Breach>[] = [
    { id: "rule", header: t("rules.rule"), value: (b) => pick(lang, b.rule) },
    {
      id: "line",
      header: t("profile.line"),
      value: (b) => label("outcome", b.kind),
      cell: (b) => (
        <Badge text={label("outcome", b.kind)} tone={b.kind === "breach_regulatory" ? "bad" : "warn"} />
      ),
    },
    {
      id: "value",
      header: t("profile.value"),
      value: (b) => b.value,
      cell: (b) => formatDisplay(b.value, b.display, { num, pct }),
      align: "right",
    },
    {
      id: "explanation",
      header: t("profile.explanation"),
      value: (b) => pick(lang, b.explanation),
      cell: (b) => <span className="small">{pick(lang, b.explanation)}</span>,
    },
    {
      id: "basis",
      header: t("rules.legalBasis"),
      value: (b) => pick(lang, b.legalBasis),
      cell: (b) => <span className="small">{pick(lang, b.legalBasis)}</span>,
    },
    {
      id: "action",
      header: t("common.actions"),
      value: () => "",
      cell: (b) =>
        canOpen ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() =>
              onOpenCase({
                title: pick(lang, b.rule).slice(0, 200),
                source: { kind: "breach", ref: `${b.ruleId}:${code}:${b.period}` },
                institution: code,
                description: pick(lang, b.explanation),
              })
            }
          >
            {t("cases.open")}
          </button>
        ) : null,
    },
  ];
  return (
    <>
      {p.latestPeriod ? (
        <p className="card-note">{t("profile.breachesOf", { period: p.latestPeriod })}</p>
      ) : null}
      <DataTable
        caption={t("profile.breaches")}
        columns={columns}
        rows={p.breaches}
        rowKey={(b) => b.ruleId}
        empty={t("profile.noBreaches")}
      />
      {p.latestPeriod ? <StoredChecks code={code} period={p.latestPeriod} /> : null}
    </>
  );
}

/** Stored rule runs, once the checks route exists: the breaches as the governed run recorded them. */
function StoredChecks({ code, period }: { code: string; period: string }) {
  const { t, lang, label } = useI18n();
  const checks = useApi<unknown>("/api/checks", { institution: code, period });
  if (checks.error?.routeMissing || checks.loading) return null;
  if (checks.error) return <ErrorView error={checks.error} />;
  const breaches = itemsOf(checks.data, "breaches")
    .map(breachOf)
    .filter((b) => !b.institution || b.institution === code);
  if (breaches.length === 0) return null;
  return (
    <div className="sub-section">
      <h3>{t("profile.storedChecks")}</h3>
      <ul className="list">
        {breaches.slice(0, 20).map((b) => (
          <li key={`${b.ruleId}:${b.period}`} className="list-row">
            <Badge text={label("outcome", b.kind)} tone={b.kind === "breach_regulatory" ? "bad" : "warn"} />
            <span>{b.rule ? pick(lang, b.rule) : b.ruleId}</span>
            <span className="small muted">{b.legalBasis ? pick(lang, b.legalBasis) : ""}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function InstitutionWarnings({ code }: { code: string }) {
  const { lang, num } = useI18n();
  const w = useApi<unknown>("/api/warnings", { institution: code, pageSize: 20 });
  return (
    <Async state={w}>
      {(body) => {
        const items = itemsOf(body, "warnings").map(warningOf);
        if (items.length === 0) return <Empty />;
        return (
          <ul className="list">
            {items.map((x) => (
              <li key={x.id} className="list-row">
                <LevelBadge level={x.level} />
                <span>{x.title ? pick(lang, x.title) : x.id}</span>
                <span className="num">{x.score !== null ? num(x.score, 1) : ""}</span>
              </li>
            ))}
          </ul>
        );
      }}
    </Async>
  );
}

function InstitutionCases({ code }: { code: string }) {
  const { label, date } = useI18n();
  const c = useApi<{
    items: { id: number; title: string; status: string; priority: string; createdAt: string }[];
  }>("/api/cases", {
    institution: code,
    pageSize: 20,
  });
  return (
    <Async state={c}>
      {(body) =>
        body.items.length === 0 ? (
          <Empty />
        ) : (
          <ul className="list">
            {body.items.map((x) => (
              <li key={x.id} className="list-row">
                <Link to={`/cases/${x.id}`}>{`#${x.id} ${x.title}`}</Link>
                <Badge text={label("caseStatus", x.status)} tone={x.status === "closed" ? "ok" : "info"} />
                <span className="muted small">{date(x.createdAt)}</span>
              </li>
            ))}
          </ul>
        )
      }
    </Async>
  );
}

function InstitutionFindings({ code }: { code: string }) {
  const { t, lang, label, num } = useI18n();
  const f = useApi<unknown>("/api/findings", { institution: code, pageSize: 50 });
  const [open, setOpen] = useState<FindingView | null>(null);
  if (f.loading && !f.data) return <Loading />;
  if (f.error) return <ErrorView error={f.error} />;
  const items = itemsOf(f.data, "findings").map(findingOf);
  if (items.length === 0) return <Empty />;
  const byDetector = new Map<string, number>();
  for (const x of items) byDetector.set(x.detector, (byDetector.get(x.detector) ?? 0) + 1);
  return (
    <>
      <p className="card-note">
        {t("profile.findingsByDetector")}:{" "}
        {[...byDetector]
          .map(([det, n]) => t("profile.findingCount", { detector: label("detector", det), count: num(n) }))
          .join(" · ")}
      </p>
      <ul className="list">
        {items.slice(0, 30).map((x) => (
          <li key={x.id} className="list-row">
            <Badge
              text={label("severity", x.severity)}
              tone={x.severity === "critical" || x.severity === "high" ? "bad" : "warn"}
            />
            <span>{label("detector", x.detector)}</span>
            <span className="small">{x.explanation ? pick(lang, x.explanation) : ""}</span>
            <button type="button" className="btn btn-small" onClick={() => setOpen(x)}>
              {t("networks.showGraph")}
            </button>
          </li>
        ))}
      </ul>
      {open ? <FindingGraph finding={open} focus={code} /> : null}
    </>
  );
}

export function FindingGraph({ finding, focus }: { finding: FindingView; focus?: string }) {
  const { t, label } = useI18n();
  const g = graphOfFinding(finding);
  const colors: Record<string, string> = {
    institution: "#1565c0",
    member: "#d84315",
    identifier: "#6a1b9a",
    subject: "#c62828",
  };
  return (
    <ForceGraph
      label={t("networks.graphOf", { detector: label("detector", finding.detector) })}
      directed={finding.detector === "guarantee_circle"}
      selected={focus ?? null}
      nodes={g.nodes.map((n) => ({
        id: n.id,
        label: n.label,
        color: colors[n.kind] ?? "#455a64",
        size: n.id === focus ? 10 : 7,
        title: `${label("nodeKind", n.kind)}: ${n.id}`,
      }))}
      edges={g.edges}
    />
  );
}
