import type { Counterparty, NetworkPosition as Position } from "@beacon/core/network/position";
import { useApi } from "../../api/use-api.ts";
import { useI18n } from "../../i18n/i18n.ts";
import { instName } from "../../lib/labels.ts";
import { Async, Badge, Card, Empty, Link, Stat } from "../../ui/common.tsx";
import { DataTable } from "../../ui/data-table.tsx";

/**
 * The institution's place in the interbank network (GET /api/contagion/position): systemic-importance rank and
 * the DebtRank impact of its own default for the latest period with exposures, with the method, engine version and
 * parameters that produced them, and its largest lenders and borrowers.
 */
export function NetworkPositionCard({ code }: { code: string }) {
  const { t } = useI18n();
  const position = useApi<Position>("/api/contagion/position", { institution: code });
  return (
    <Card
      title={t("profile.networkPosition")}
      wide
      actions={<Link to="/networks?tab=contagion">{t("position.openNetwork")}</Link>}
    >
      <Async state={position}>{(p) => <PositionBody p={p} />}</Async>
    </Card>
  );
}

function PositionBody({ p }: { p: Position }) {
  const { t, num, pct } = useI18n();
  if (!p.period) return <Empty text={t("position.noExposures")} />;
  const s = p.systemic;
  const hasCounterparties = p.lenders.length + p.borrowers.length > 0;
  if (!s && !hasCounterparties) return <Empty text={t("position.noExposuresIn", { period: p.period })} />;
  return (
    <>
      <p className="card-note">{t("position.period", { period: p.period })}</p>
      {s ? (
        <>
          <div className="stats">
            <Stat
              label={t("position.rank")}
              value={t("position.rankOf", { rank: num(s.rank), of: num(s.of) })}
              tone={s.rank <= Math.max(1, Math.ceil(s.of / 10)) ? "bad" : undefined}
            />
            <Stat label={t("position.impact")} value={pct(s.impact, 2)} note={t("position.impactNote")} />
            <Stat label={t("position.losses")} value={num(s.losses, 0)} />
            <Stat
              label={t("position.defaults")}
              value={num(s.defaults)}
              tone={s.defaults > 0 ? "bad" : undefined}
            />
          </div>
          <p className="card-note">
            {t("position.trace", {
              method: s.method,
              version: s.version,
              params: Object.entries(s.parameters)
                .map(([k, v]) => `${k}=${v}`)
                .join(", "),
              nodes: num(s.network.nodes),
              edges: num(s.network.exposures),
              subs: num(s.network.exposureSubmissions.length),
              source: s.stored ? t("position.stored", { run: s.runId ?? "" }) : t("position.live"),
            })}
          </p>
        </>
      ) : (
        <p className="small">{t("position.notInNetwork", { period: p.period })}</p>
      )}
      <div className="grid-2">
        <Counterparties
          title={t("position.lenders")}
          rows={p.lenders}
          total={t("position.total", { count: num(p.totals.lenders), amount: num(p.totals.borrowed, 0) })}
        />
        <Counterparties
          title={t("position.borrowers")}
          rows={p.borrowers}
          total={t("position.total", { count: num(p.totals.borrowers), amount: num(p.totals.lent, 0) })}
        />
      </div>
    </>
  );
}

function Counterparties({ title, rows, total }: { title: string; rows: Counterparty[]; total: string }) {
  const { t, lang, num } = useI18n();
  return (
    <div className="sub-section">
      <h3>{title}</h3>
      <DataTable
        caption={title}
        rows={rows}
        rowKey={(r) => r.code}
        dense
        empty={t("position.noneReported")}
        columns={[
          {
            id: "institution",
            header: t("position.institution"),
            value: (r) => instName(lang, r),
            cell: (r) => (
              <>
                <Link to={`/institutions/${r.code}`}>
                  {r.nameZh || r.nameEn ? instName(lang, r) : r.code}
                </Link>
                {r.estimated ? <Badge text={t("position.estimated")} tone="info" /> : null}
              </>
            ),
          },
          {
            id: "amount",
            header: t("position.amount"),
            value: (r) => r.amount,
            cell: (r) => num(r.amount, 0),
            align: "right",
          },
        ]}
      />
      {rows.length > 0 ? <p className="card-note">{total}</p> : null}
    </div>
  );
}
