import { type FormEvent, useMemo, useState } from "react";
import { ApiError, apiPost } from "../../api/client.ts";
import { breachOf, itemsOf } from "../../api/shapes.ts";
import { useApi } from "../../api/use-api.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { typeName, unitName } from "../../lib/labels.ts";
import { setSearch, useLocation } from "../../lib/router.ts";
import { hasRole, useSession } from "../../session.ts";
import { Async, Badge, Card, Empty, ErrorView, Field, Page } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";

type Bi = { zh: string; en: string };

interface RuleParam {
  name: string;
  en: string;
  zh: string;
  default: unknown;
  value: unknown;
  status: string;
  note?: string;
  governed?: { proposalId: number; effectiveFrom: string; approvedBy: string; approvedAt: string };
  pending: { id: number; value: unknown; effectiveFrom: string; proposedBy: string }[];
}

interface RuleView {
  id: string;
  version: number;
  level?: string;
  en: string;
  zh: string;
  family: string;
  severity: string;
  leadUnit: string;
  applicability?: { types: string[]; text: Bi };
  effective?: { from: string; to?: string };
  legalBasis: { citation: Bi; status: string; sources?: readonly string[] }[];
  params: RuleParam[];
  pendingProposals?: number;
  notes?: readonly string[];
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** A typed value as the parameter schemas take it: numbers, booleans and JSON as such, anything else as text. */
function parseValue(text: string): unknown {
  const s = text.trim();
  if (/^(true|false|\[.*\]|\{.*\})$/s.test(s)) {
    try {
      return JSON.parse(s);
    } catch {}
  }
  return s;
}

/** Rule packs with their legal basis and governed parameters: propose, approve (another person) and what-if. */
export function RulesPage() {
  const { t, lang, label } = useI18n();
  const rules = useApi<unknown>("/api/rules");
  const { search } = useLocation();
  const selectedId = search.get("rule");
  const [family, setFamily] = useState("");
  const [q, setQ] = useState("");
  return (
    <Page title={t("rules.title")}>
      <Async state={rules}>
        {(body) => {
          const list = itemsOf(body, "rules") as unknown as RuleView[];
          const pack = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
          const families = [...new Set(list.map((r) => r.family))].sort();
          const shown = list.filter(
            (r) =>
              (!family || r.family === family) &&
              (!q || `${r.id} ${r.zh} ${r.en}`.toLowerCase().includes(q.toLowerCase())),
          );
          const selected = list.find((r) => r.id === selectedId) ?? null;
          const columns: Column<RuleView>[] = [
            {
              id: "id",
              header: t("rules.id"),
              value: (r) => r.id,
              cell: (r) => (
                <button type="button" className="linklike" onClick={() => setSearch({ rule: r.id })}>
                  {r.id}
                </button>
              ),
            },
            { id: "name", header: t("rules.rule"), value: (r) => pick(lang, r) },
            { id: "family", header: t("rules.family"), value: (r) => label("family", r.family) },
            { id: "severity", header: t("rules.severity"), value: (r) => label("severity", r.severity) },
            { id: "lead", header: t("rules.leadUnit"), value: (r) => unitName(lang, r.leadUnit) },
            {
              id: "basis",
              header: t("rules.legalBasis"),
              value: (r) => (r.legalBasis[0] ? pick(lang, r.legalBasis[0].citation) : ""),
              cell: (r) => (
                <span className="small">{r.legalBasis[0] ? pick(lang, r.legalBasis[0].citation) : ""}</span>
              ),
            },
            {
              id: "pending",
              header: t("rules.pending"),
              value: (r) => r.pendingProposals ?? 0,
              align: "right",
            },
          ];
          return (
            <>
              {pack.pack ? (
                <p className="muted">
                  {t("rules.pack", {
                    pack: String(pack.pack),
                    version: String(pack.packVersion ?? ""),
                    count: list.length,
                  })}
                </p>
              ) : null}
              <div className="filters">
                <Field label={t("rules.family")}>
                  <select value={family} onChange={(e) => setFamily(e.target.value)}>
                    <option value="">{t("common.all")}</option>
                    {families.map((f) => (
                      <option key={f} value={f}>
                        {label("family", f)}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t("common.search")}>
                  <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
                </Field>
              </div>
              {selected ? <RuleDetail rule={selected} /> : null}
              <DataTable
                caption={t("rules.title")}
                columns={columns}
                rows={shown}
                rowKey={(r) => r.id}
                dense
              />
            </>
          );
        }}
      </Async>
    </Page>
  );
}

function RuleDetail({ rule }: { rule: RuleView }) {
  const { t, lang, label } = useI18n();
  const session = useSession();
  const canPropose = hasRole(session, ["lead_supervisor", "finance_office", "admin"]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      setNotice(done);
    } catch (e) {
      if (e instanceof ApiError && e.routeMissing) setNotice(t("error.notAvailable"));
      else setError(e instanceof ApiError ? e : new ApiError(0, "NETWORK", String(e)));
    }
  };
  return (
    <Card
      title={`${rule.id} · ${pick(lang, rule)}`}
      wide
      actions={
        <button type="button" className="btn btn-small" onClick={() => setSearch({ rule: null })}>
          {t("common.close")}
        </button>
      }
    >
      <dl className="facts">
        <div>
          <dt>{t("rules.family")}</dt>
          <dd>{label("family", rule.family)}</dd>
        </div>
        <div>
          <dt>{t("rules.severity")}</dt>
          <dd>{label("severity", rule.severity)}</dd>
        </div>
        <div>
          <dt>{t("rules.leadUnit")}</dt>
          <dd>{unitName(lang, rule.leadUnit)}</dd>
        </div>
        <div>
          <dt>{t("rules.effective")}</dt>
          <dd>
            {rule.effective?.from ?? ""}
            {rule.effective?.to ? ` – ${rule.effective.to}` : ""}
          </dd>
        </div>
        <div>
          <dt>{t("rules.appliesTo")}</dt>
          <dd>
            {rule.applicability
              ? pick(lang, rule.applicability.text) ||
                rule.applicability.types.map((x) => typeName(lang, x)).join(", ")
              : ""}
          </dd>
        </div>
      </dl>
      <h3>{t("rules.legalBasis")}</h3>
      <ul className="list">
        {rule.legalBasis.map((b) => (
          <li key={pick(lang, b.citation)} className="list-row">
            <span>{pick(lang, b.citation)}</span>
            <Badge
              text={t("rules.sourceStatus", { status: b.status })}
              tone={b.status === "P" ? "ok" : b.status === "S" ? "info" : "warn"}
            />
          </li>
        ))}
      </ul>
      <h3>{t("rules.params")}</h3>
      {rule.params.length === 0 ? (
        <Empty />
      ) : (
        <table className="table dense">
          <caption className="sr-only">{t("rules.params")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("rules.param")}</th>
              <th scope="col">{t("rules.value")}</th>
              <th scope="col">{t("rules.default")}</th>
              <th scope="col">{t("rules.paramStatus")}</th>
              <th scope="col">{t("rules.pendingChanges")}</th>
            </tr>
          </thead>
          <tbody>
            {rule.params.map((p) => (
              <tr key={p.name}>
                <td>
                  <code>{p.name}</code> <span className="small">{pick(lang, p)}</span>
                </td>
                <td>{show(p.value)}</td>
                <td>{show(p.default)}</td>
                <td>
                  <Badge
                    text={label("paramStatus", p.status)}
                    tone={p.status === "confirmed" ? "ok" : "warn"}
                  />
                  {p.governed ? (
                    <span className="small muted">
                      {" "}
                      {t("rules.approvedBy", { who: p.governed.approvedBy, from: p.governed.effectiveFrom })}
                    </span>
                  ) : null}
                </td>
                <td>
                  {p.pending.length === 0
                    ? "–"
                    : p.pending.map((x) => (
                        <div key={x.id} className="pending">
                          <span>
                            {t("rules.pendingItem", {
                              value: show(x.value),
                              from: x.effectiveFrom,
                              who: x.proposedBy,
                            })}
                          </span>
                          {canPropose ? (
                            <>
                              <button
                                type="button"
                                className="btn btn-small"
                                onClick={() =>
                                  void act(
                                    () => apiPost(`/api/params/proposals/${x.id}/approve`, { note: "" }),
                                    t("rules.decided"),
                                  )
                                }
                              >
                                {t("rules.approve")}
                              </button>
                              <button
                                type="button"
                                className="btn btn-small"
                                onClick={() =>
                                  void act(
                                    () => apiPost(`/api/params/proposals/${x.id}/reject`, { note: "" }),
                                    t("rules.decided"),
                                  )
                                }
                              >
                                {t("rules.reject")}
                              </button>
                            </>
                          ) : null}
                        </div>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {notice ? (
        <p className="note" role="status">
          {notice}
        </p>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
      <div className="grid-2">
        {canPropose && rule.params.length > 0 ? <ProposeForm rule={rule} onDone={act} /> : null}
        {rule.params.length > 0 ? <WhatIf rule={rule} /> : null}
      </div>
    </Card>
  );
}

function ProposeForm({
  rule,
  onDone,
}: {
  rule: RuleView;
  onDone: (fn: () => Promise<unknown>, done: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [param, setParam] = useState(rule.params[0]?.name ?? "");
  const [value, setValue] = useState("");
  const [reason, setReason] = useState("");
  const [from, setFrom] = useState(new Date().toISOString().slice(0, 10));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onDone(
      () =>
        apiPost("/api/params/proposals", {
          ruleId: rule.id,
          param,
          value: parseValue(value),
          reason,
          effectiveFrom: from,
        }),
      t("rules.proposed"),
    );
  };
  return (
    <form className="subform" onSubmit={submit}>
      <h3>{t("rules.propose")}</h3>
      <p className="small muted">{t("rules.makerChecker")}</p>
      <Field label={t("rules.param")}>
        <select value={param} onChange={(e) => setParam(e.target.value)}>
          {rule.params.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("rules.newValue")}>
        <input required value={value} onChange={(e) => setValue(e.target.value)} />
      </Field>
      <Field label={t("rules.effectiveFrom")}>
        <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
      </Field>
      <Field label={t("rules.reason")}>
        <textarea required rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <button type="submit" className="btn btn-primary">
        {t("rules.submitProposal")}
      </button>
    </form>
  );
}

/** Re-runs a month's checks with one parameter changed and lists whose outcome would differ. */
function WhatIf({ rule }: { rule: RuleView }) {
  const { t, lang, num, label } = useI18n();
  const [param, setParam] = useState(rule.params[0]?.name ?? "");
  const [value, setValue] = useState("");
  const [period, setPeriod] = useState("");
  const [result, setResult] = useState<unknown>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(
        await apiPost("/api/checks/what-if", {
          period,
          overrides: [`${rule.id}.${param}=${value}`],
          rule: rule.id,
        }),
      );
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "NETWORK", String(err)));
    } finally {
      setBusy(false);
    }
  };
  const changes = useMemo(() => {
    const w = result && typeof result === "object" ? (result as Record<string, unknown>).whatIf : null;
    return w && typeof w === "object" ? itemsOf(w, "changes") : [];
  }, [result]);
  const breaches = useMemo(
    () =>
      itemsOf(result, "breaches")
        .map(breachOf)
        .filter((b) => b.ruleId === rule.id),
    [result, rule.id],
  );
  return (
    <form className="subform" onSubmit={run}>
      <h3>{t("rules.whatIf")}</h3>
      <p className="small muted">{t("rules.whatIfHint")}</p>
      <div className="form-row">
        <Field label={t("rules.param")}>
          <select value={param} onChange={(e) => setParam(e.target.value)}>
            {rule.params.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("rules.newValue")}>
          <input required value={value} onChange={(e) => setValue(e.target.value)} />
        </Field>
        <Field label={t("reports.period")}>
          <input type="month" required value={period} onChange={(e) => setPeriod(e.target.value)} />
        </Field>
      </div>
      <button type="submit" className="btn" disabled={busy}>
        {busy ? t("common.loading") : t("rules.runWhatIf")}
      </button>
      {error ? <ErrorView error={error} /> : null}
      {result ? (
        <div className="sub-section" aria-live="polite">
          <p>{t("rules.whatIfResult", { changes: num(changes.length), breaches: num(breaches.length) })}</p>
          <ul className="list">
            {changes.slice(0, 50).map((c) => {
              const before = (c.before ?? {}) as Record<string, unknown>;
              const after = (c.after ?? {}) as Record<string, unknown>;
              const name =
                c.institutionName && typeof c.institutionName === "object"
                  ? pick(lang, c.institutionName as Bi)
                  : String(c.institution);
              return (
                <li key={`${String(c.ruleId)}:${String(c.institution)}`} className="list-row">
                  <span>{name}</span>
                  <span className="small">
                    {label("outcome", String(before.kind))} → {label("outcome", String(after.kind))}
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
