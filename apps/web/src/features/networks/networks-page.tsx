import { useMemo } from "react";
import { type FindingView, findingOf, itemsOf } from "../../api/shapes.ts";
import { useApi } from "../../api/use-api.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { setSearch, useLocation } from "../../lib/router.ts";
import { Badge, Card, Empty, ErrorView, Loading, Page } from "../../ui/common.tsx";
import { FindingGraph } from "../institutions/institution-page.tsx";
import { ContagionSimulator } from "./contagion-simulator.tsx";
import { StoredContagion } from "./stored-contagion.tsx";

const detectorTabs = ["multiple_loans", "guarantee_circle", "claim_ring", "contagion"] as const;

/** Detector findings as graphs (multiple loans, guarantee circles, fraud rings) and the contagion simulator. */
export function NetworksPage() {
  const { t, label } = useI18n();
  const { search } = useLocation();
  const tab = (search.get("tab") as (typeof detectorTabs)[number] | null) ?? "guarantee_circle";
  return (
    <Page title={t("networks.title")}>
      <div className="tabs" role="tablist" aria-label={t("networks.title")}>
        {detectorTabs.map((d) => (
          <button
            key={d}
            type="button"
            role="tab"
            aria-selected={tab === d}
            className={tab === d ? "tab active" : "tab"}
            onClick={() => setSearch({ tab: d, finding: null })}
          >
            {d === "contagion" ? t("networks.contagion") : label("detector", d)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "contagion" ? (
          <>
            <StoredContagion />
            <ContagionSimulator />
          </>
        ) : (
          <DetectorFindings detector={tab} />
        )}
      </div>
    </Page>
  );
}

function DetectorFindings({ detector }: { detector: string }) {
  const { t, lang, label, num } = useI18n();
  const { search } = useLocation();
  const f = useApi<unknown>("/api/findings", { detector, pageSize: 100 });
  const items = useMemo(() => itemsOf(f.data, "findings").map(findingOf), [f.data]);
  const selectedId = search.get("finding");
  const selected: FindingView | null = items.find((x) => x.id === selectedId) ?? items[0] ?? null;
  if (f.error) return <ErrorView error={f.error} />;
  if (!f.data) return <Loading />;
  if (items.length === 0) return <Empty text={t("networks.noFindings")} />;
  return (
    <div className="split">
      <Card title={t("networks.findings", { count: num(items.length) })}>
        <ul className="list selectable" aria-label={t("networks.findingsList")}>
          {items.map((x) => (
            <li key={x.id}>
              <button
                type="button"
                className={selected?.id === x.id ? "list-button active" : "list-button"}
                aria-pressed={selected?.id === x.id}
                onClick={() => setSearch({ finding: x.id })}
              >
                <Badge
                  text={label("severity", x.severity)}
                  tone={x.severity === "critical" || x.severity === "high" ? "bad" : "warn"}
                />
                <span className="list-main">{x.subjectId ?? x.id}</span>
                <span className="num">{x.score !== null ? num(x.score, 1) : ""}</span>
              </button>
            </li>
          ))}
        </ul>
      </Card>
      {selected ? (
        <Card title={`${label("detector", detector)} · ${selected.subjectId ?? selected.id}`}>
          <p className="small">{selected.explanation ? pick(lang, selected.explanation) : ""}</p>
          <FindingGraph finding={selected} />
          <p className="card-note">{t("networks.graphHint")}</p>
          <details>
            <summary>{t("networks.evidence")}</summary>
            <pre className="evidence">{JSON.stringify(selected.evidence, null, 2).slice(0, 8000)}</pre>
          </details>
        </Card>
      ) : null}
    </div>
  );
}
