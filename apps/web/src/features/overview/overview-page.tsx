import { districtMap, tileOf } from "@beacon/core/charts/district-map";
import { barChart, heatmap, levelColors, lineChart } from "@beacon/core/charts/scene";
import type { MonthlyReport } from "@beacon/core/reports/build-monthly-report";
import { useMemo, useState } from "react";
import { itemsOf, warningOf } from "../../api/shapes.ts";
import { useApi } from "../../api/use-api.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { instName, typeName } from "../../lib/labels.ts";
import { navigate } from "../../lib/router.ts";
import { Async, Card, Empty, ErrorView, LevelBadge, Link, Loading, Page, Stat } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";
import { SceneSvg } from "../../ui/scene-svg.tsx";
import { IndicatorTable } from "./indicator-table.tsx";
import { overviewRequests } from "./overview-data.ts";

const levels = ["red", "orange", "yellow", "green"] as const;

export function OverviewPage() {
  const { t } = useI18n();
  const report = useApi<MonthlyReport>(...overviewRequests.report);
  return (
    <Page
      title={t("overview.title")}
      actions={
        report.data ? (
          <span className="muted">{t("overview.period", { period: report.data.period })}</span>
        ) : null
      }
    >
      <Async state={report}>{(r) => <Overview report={r} />}</Async>
    </Page>
  );
}

function Overview({ report }: { report: MonthlyReport }) {
  const { t, num, label } = useI18n();
  const red = report.riskGrid.reduce((s, g) => s + g.counts.red, 0);
  const regulatory = report.breaches.filter((b) => b.kind === "breach_regulatory").length;
  return (
    <>
      {!report.wholeProvince ? <p className="note">{t("overview.partialScope")}</p> : null}
      <div className="stats">
        <Stat label={t("overview.institutions")} value={num(report.institutions.total)} />
        <Stat
          label={t("overview.reported")}
          value={`${num(report.submissions.reported)} / ${num(report.submissions.expected)}`}
          tone={report.submissions.reported < report.submissions.expected ? "warn" : "ok"}
        />
        <Stat label={t("overview.redInstitutions")} value={num(red)} tone={red > 0 ? "bad" : "ok"} />
        <Stat
          label={t("overview.regulatoryBreaches")}
          value={num(regulatory)}
          tone={regulatory > 0 ? "bad" : "ok"}
        />
        <Stat label={t("overview.openCases")} value={num(report.workflow.openCases)} />
        <Stat
          label={t("overview.openEvents")}
          value={num(report.workflow.openEvents)}
          tone={report.workflow.openEvents > 0 ? "warn" : undefined}
        />
      </div>
      <div className="grid-2">
        <Card title={t("overview.riskMap")}>
          <RiskGrid report={report} />
        </Card>
        <Card title={t("overview.districtMap")}>
          <DistrictTiles report={report} />
        </Card>
        <Card title={t("overview.levelTrend")}>
          <LevelTrend report={report} />
        </Card>
        <Card title={t("overview.submissionTrend")}>
          <SceneSvg
            label={t("overview.submissionTrend")}
            scene={lineChart({
              width: 520,
              height: 220,
              categories: report.submissions.byPeriod.map((p) => p.period),
              series: [
                {
                  name: t("overview.reportingInstitutions"),
                  values: report.submissions.byPeriod.map((p) => p.institutions),
                },
              ],
              lines: [
                { value: report.submissions.expected, label: t("overview.expected"), color: "#5f6b7a" },
              ],
              format: (n) => num(n),
            })}
          />
        </Card>
      </div>
      <TopWarnings report={report} />
      <Card title={t("overview.indicators")} wide>
        {report.indicators.length === 0 ? (
          <Empty text={t("overview.noIndicators")} />
        ) : (
          <IndicatorTable report={report} />
        )}
      </Card>
      <Card title={t("overview.sectors")} wide>
        <SceneSvg
          label={t("overview.sectors")}
          onSelect={(id) => navigate(`/institutions?sector=${id}`)}
          scene={barChart({
            width: 900,
            height: 0,
            categories: report.institutions.bySector.map((s) => label("sector", s.sector)),
            ids: report.institutions.bySector.map((s) => s.sector),
            series: (["active", "under_watch", "exited", "taken_over", "revoked"] as const).map((st, i) => ({
              name: label("instStatus", st),
              values: report.institutions.bySector.map((s) => s.byStatus[st] ?? 0),
              color: ["#1565c0", "#d84315", "#78909c", "#6a1b9a", "#c62828"][i]!,
            })),
            format: (n) => num(n),
          })}
        />
      </Card>
      <SubmissionStatus report={report} />
    </>
  );
}

interface ScoreSummary {
  period: string;
  groups: { key: string; levels: Record<string, number> }[];
}

const scoreLevels = ["red", "orange", "yellow", "blue", "green"] as const;

/**
 * Sectors by level: from the early-warning scores when they have been computed, else from this month's rule
 * outcomes (the report's own levels).
 */
function RiskGrid({ report }: { report: MonthlyReport }) {
  const { t, num, label } = useI18n();
  const scores = useApi<ScoreSummary>(...overviewRequests.scores);
  if (scores.loading && !scores.data) return <Loading />;
  if (scores.data && scores.data.groups.length > 0) {
    const groups = scores.data.groups;
    return (
      <>
        <SceneSvg
          label={t("overview.riskMap")}
          onSelect={(id) => {
            const [sector, level] = id.split(":");
            navigate(`/warnings?sector=${sector}&level=${level}`);
          }}
          scene={heatmap({
            width: 520,
            rows: groups.map((g) => label("sector", g.key)),
            cols: scoreLevels.map((l) => t(`level.${l}`)),
            values: groups.map((g) => scoreLevels.map((l) => g.levels[l] ?? 0)),
            colColors: scoreLevels.map((l) => levelColors[l]!),
            ids: groups.map((g) => scoreLevels.map((l) => `${g.key}:${l}`)),
            format: (n) => num(n),
          })}
        />
        <p className="card-note">{t("overview.scoresNote")}</p>
      </>
    );
  }
  if (report.riskGrid.length === 0) return <Empty />;
  return (
    <>
      <SceneSvg
        label={t("overview.riskMap")}
        onSelect={(id) => {
          const [sector, level] = id.split(":");
          navigate(`/institutions?sector=${sector}&level=${level}`);
        }}
        scene={heatmap({
          width: 520,
          rows: report.riskGrid.map((g) => label("sector", g.sector)),
          cols: levels.map((l) => t(`level.${l}`)),
          values: report.riskGrid.map((g) => levels.map((l) => g.counts[l])),
          colColors: levels.map((l) => levelColors[l]!),
          ids: report.riskGrid.map((g) => levels.map((l) => `${g.sector}:${l}`)),
          format: (n) => num(n),
        })}
      />
      <p className="card-note">{t("overview.riskMapNote")}</p>
    </>
  );
}

/**
 * A district's level from its institutions' levels this month: red when at least a fifth of those assessed are at
 * red or orange, orange from a tenth, yellow when any is at yellow or worse, green otherwise. Shares, not the worst
 * institution, so that one red bank does not paint every district red.
 */
function districtLevel(d: MonthlyReport["institutions"]["byDistrict"][number]): (typeof levels)[number] {
  const severe = d.total ? (d.red + d.orange) / d.total : 0;
  if (severe >= 0.2) return "red";
  if (severe >= 0.1) return "orange";
  if (d.red + d.orange + d.yellow > 0) return "yellow";
  return "green";
}

/** Districts on a schematic tile map of the province (no boundary data offline), coloured by level. */
function DistrictTiles({ report }: { report: MonthlyReport }) {
  const { t, num, lang } = useI18n();
  const districts = report.institutions.byDistrict;
  if (districts.length === 0) return <Empty />;
  const scene = districtMap({
    lang,
    districts: districts.map((d) => {
      const level = districtLevel(d);
      const tile = tileOf(d.district);
      const name = tile ? (lang === "zh" ? tile.zh : tile.en) : d.district;
      return {
        district: d.district,
        fill: levelColors[level]!,
        dark: level !== "yellow",
        title: `${name}: ${t(`level.${level}`)} · ${t("overview.districtCounts", {
          total: num(d.total),
          red: num(d.red),
          orange: num(d.orange),
        })}`,
        id: d.district,
      };
    }),
    legend: levels.map((l) => ({ label: t(`overview.districtLegend.${l}`), color: levelColors[l]! })),
    otherTitle: t("overview.districtOther"),
    emptyTitle: t("overview.districtEmpty"),
  });
  return (
    <>
      <SceneSvg
        label={t("overview.districtMap")}
        onSelect={(id) => navigate(`/institutions?district=${encodeURIComponent(id)}`)}
        scene={scene}
      />
      <p className="card-note">{t("overview.districtNote")}</p>
    </>
  );
}

function LevelTrend({ report }: { report: MonthlyReport }) {
  const { t, num } = useI18n();
  if (!report.rulesAssessed) return <Empty />;
  return (
    <SceneSvg
      label={t("overview.levelTrend")}
      scene={lineChart({
        width: 520,
        height: 220,
        categories: report.levelTrend.map((p) => p.period),
        series: (["red", "orange", "yellow"] as const).map((l) => ({
          name: t(`level.${l}`),
          values: report.levelTrend.map((p) => p.counts[l]),
          color: levelColors[l]!,
        })),
        format: (n) => num(n),
      })}
    />
  );
}

/**
 * The warnings inbox's most urgent items; this month's most serious breaches when no warning is open yet (no
 * scoring run), when the route is not there or the caller's role may not read warnings.
 */
function TopWarnings({ report }: { report: MonthlyReport }) {
  const { t, lang, num } = useI18n();
  const warnings = useApi<unknown>(...overviewRequests.warnings);
  const names = useMemo(() => new Map(report.submissions.byInstitution.map((i) => [i.code, i])), [report]);
  const items = warnings.data !== undefined ? itemsOf(warnings.data, "warnings").map(warningOf) : [];
  if (items.length > 0) {
    return (
      <Card
        title={t("overview.topWarnings")}
        wide
        actions={<Link to="/warnings">{t("overview.allWarnings")}</Link>}
      >
        <ul className="list">
          {items.map((w) => (
            <li key={w.id} className="list-row">
              <LevelBadge level={w.level} />
              {w.institution ? (
                <Link to={`/institutions/${w.institution}`} className="warning-link">
                  {w.institutionName
                    ? pick(lang, w.institutionName)
                    : instName(lang, names.get(w.institution)) || w.institution}
                </Link>
              ) : null}
              <span className="muted">{w.title ? pick(lang, w.title) : ""}</span>
              <span className="num">{w.score !== null ? num(w.score, 1) : ""}</span>
            </li>
          ))}
        </ul>
      </Card>
    );
  }
  // A role that may not read warnings (403) sees this month's breaches instead, like a server without the route.
  const unavailable = warnings.error?.routeMissing || warnings.error?.status === 403;
  const fallback = warnings.error && !unavailable ? <ErrorView error={warnings.error} /> : null;
  const top = report.breaches.slice(0, 10);
  return (
    <Card title={t("overview.topBreaches")} wide>
      {fallback}
      {warnings.error?.routeMissing ? <p className="card-note">{t("overview.warningsPending")}</p> : null}
      {warnings.data !== undefined ? <p className="card-note">{t("overview.noOpenWarnings")}</p> : null}
      {top.length === 0 ? (
        <Empty />
      ) : (
        <ul className="list">
          {top.map((b) => {
            const inst = names.get(b.institution);
            return (
              <li key={`${b.institution}:${b.ruleId}`} className="list-row">
                <LevelBadge level={inst?.level ?? (b.kind === "breach_regulatory" ? "orange" : "yellow")} />
                <Link to={`/institutions/${b.institution}`} className="warning-link">
                  {instName(lang, b)}
                </Link>
                <span>{pick(lang, b.rule)}</span>
                <span className="muted small">{pick(lang, b.explanation)}</span>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

type InstRow = MonthlyReport["submissions"]["byInstitution"][number];

function SubmissionStatus({ report }: { report: MonthlyReport }) {
  const { t, lang, num, date, label } = useI18n();
  const columns: Column<InstRow>[] = [
    {
      id: "code",
      header: t("inst.code"),
      value: (r) => r.code,
      cell: (r) => <Link to={`/institutions/${r.code}`}>{r.code}</Link>,
    },
    { id: "name", header: t("inst.name"), value: (r) => instName(lang, r) },
    { id: "type", header: t("inst.type"), value: (r) => typeName(lang, r.type) },
    { id: "district", header: t("inst.district"), value: (r) => r.district },
    {
      id: "level",
      header: t("overview.level"),
      value: (r) => (r.level ? t(`level.${r.level}`) : ""),
      cell: (r) => <LevelBadge level={r.level} />,
    },
    {
      id: "reported",
      header: t("overview.submitted"),
      value: (r) => label("submitted", String(r.reported)),
      cell: (r) => (
        <span className={r.reported ? "ok-text" : "bad-text"}>{label("submitted", String(r.reported))}</span>
      ),
    },
    {
      id: "datasets",
      header: t("overview.datasets"),
      value: (r) => r.datasets,
      cell: (r) => num(r.datasets),
      align: "right",
    },
    {
      id: "rows",
      header: t("overview.rows"),
      value: (r) => r.rows,
      cell: (r) => num(r.rows),
      align: "right",
    },
    {
      id: "last",
      header: t("overview.lastReceived"),
      value: (r) => r.lastReceivedAt ?? "",
      cell: (r) => date(r.lastReceivedAt, true),
    },
  ];
  // Missing reporters first: they are what a supervisor chases.
  const rows = useMemo(
    () =>
      [...report.submissions.byInstitution].sort(
        // Codes are ASCII: a plain comparison, not the (slow) locale collation.
        (a, b) => Number(a.reported) - Number(b.reported) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
      ),
    [report],
  );
  // A page of rows keeps the overview quick on a large province; export and "show all" still give every row.
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, 50);
  return (
    <Card title={t("overview.submissionStatus", { period: report.period })} wide>
      <DataTable
        caption={t("overview.submissionStatus", { period: report.period })}
        columns={columns}
        rows={shown}
        exportRows={async () => rows}
        rowKey={(r) => r.code}
        dense
      />
      {rows.length > 50 ? (
        <button type="button" className="btn" onClick={() => setAll((a) => !a)}>
          {all ? t("common.showFewer") : t("common.showAll", { count: num(rows.length) })}
        </button>
      ) : null}
    </Card>
  );
}
