import { datasets } from "@beacon/core/contract/datasets";
import { type FormEvent, useRef, useState } from "react";
import { ApiError, type UploadProgress, uploadWithProgress } from "../../api/client.ts";
import { useApi } from "../../api/use-api.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { hasRole, useSession } from "../../session.ts";
import { Async, Badge, Card, Empty, ErrorView, Field, Page } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";

interface Problem {
  file: string;
  row: number | null;
  column: string | null;
  value: string | null;
  rule: string;
  message: string;
}

interface Report {
  status: "accepted" | "rejected" | "unchanged";
  files: { file: string; dataset: string; format: string; rows: number; encoding?: string }[];
  skipped: string[];
  problems: Problem[];
  problemCount: number;
  moreProblems: number;
  countsByRule: Record<string, number>;
  submissions: { institution: string; dataset: string; period: string; rows: number; status: string }[];
  batchId?: number | null;
}

/** Data intake: upload files with progress, then the validation report by file, row and column. */
export function IntakePage() {
  const { t, lang, num } = useI18n();
  const session = useSession();
  const fileInput = useRef<HTMLInputElement>(null);
  const [dataset, setDataset] = useState("");
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<(() => void) | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const files = fileInput.current?.files;
    if (!files || files.length === 0) return;
    const form = new FormData();
    for (const f of files) form.append("file", f, f.name);
    if (dataset) form.append("dataset", dataset);
    setBusy(true);
    setReport(null);
    setError(null);
    setProgress({ loaded: 0, total: [...files].reduce((s, f) => s + f.size, 0), sent: false });
    const up = uploadWithProgress("/api/uploads", form, setProgress);
    abort.current = up.abort;
    try {
      const { status, body } = await up.promise;
      const b = body as (Report & { error?: { code: string; message: string } }) | null;
      if (b && Array.isArray(b.problems)) setReport(b);
      else
        setError(
          new ApiError(status, b?.error?.code ?? `HTTP_${status}`, b?.error?.message ?? String(status)),
        );
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "NETWORK", String(err)));
    } finally {
      setBusy(false);
      abort.current = null;
    }
  };
  const pctDone =
    progress && progress.total > 0 ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : 0;
  const canUpload = hasRole(session, ["admin", "institution"]);
  return (
    <Page title={t("intake.title")}>
      {canUpload ? (
        <Card title={t("intake.upload")} wide>
          <form className="upload-form" onSubmit={submit}>
            <Field label={t("intake.files")} hint={t("intake.filesHint")}>
              <input
                ref={fileInput}
                type="file"
                name="file"
                multiple
                required
                accept=".csv,.xlsx,.json,.ndjson,.jsonl,.parquet"
              />
            </Field>
            <Field label={t("intake.dataset")} hint={t("intake.datasetHint")}>
              <select value={dataset} onChange={(e) => setDataset(e.target.value)}>
                <option value="">{t("intake.fromFileNames")}</option>
                {datasets.map((d) => (
                  <option key={d.name} value={d.name}>
                    {`${pick(lang, d)} (${d.name})`}
                  </option>
                ))}
              </select>
            </Field>
            <div className="button-row">
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {t("intake.send")}
              </button>
              {busy ? (
                <button type="button" className="btn" onClick={() => abort.current?.()}>
                  {t("common.cancel")}
                </button>
              ) : null}
            </div>
            {progress ? (
              <div className="progress-wrap" aria-live="polite">
                <progress max={100} value={progress.sent ? 100 : pctDone} aria-label={t("intake.progress")} />
                <span className="small">
                  {progress.sent && busy
                    ? t("intake.validating")
                    : t("intake.sent", {
                        pct: pctDone,
                        loaded: num(progress.loaded / 1024, 0),
                        total: num(progress.total / 1024, 0),
                      })}
                </span>
              </div>
            ) : null}
          </form>
        </Card>
      ) : (
        <p className="note">{t("intake.uploadRoles")}</p>
      )}
      {error ? <ErrorView error={error} /> : null}
      {report ? <ReportView report={report} /> : null}
      <RecentReports />
    </Page>
  );
}

function ReportView({ report: r }: { report: Report }) {
  const { t, num, label } = useI18n();
  const tone = r.status === "rejected" ? "bad" : r.status === "accepted" ? "ok" : "info";
  const columns: Column<Problem>[] = [
    { id: "file", header: t("intake.file"), value: (p) => p.file },
    { id: "row", header: t("intake.row"), value: (p) => p.row, align: "right" },
    { id: "column", header: t("intake.column"), value: (p) => p.column ?? "" },
    {
      id: "value",
      header: t("intake.value"),
      value: (p) => p.value ?? "",
      cell: (p) => <code>{p.value ?? ""}</code>,
    },
    { id: "rule", header: t("intake.rule"), value: (p) => p.rule },
    { id: "message", header: t("intake.message"), value: (p) => p.message },
  ];
  return (
    <Card title={t("intake.report")} wide>
      <p className="report-status" role="status">
        <Badge text={label("intakeStatus", r.status)} tone={tone} />{" "}
        {r.status === "rejected"
          ? t("intake.rejectedSummary", { count: num(r.problemCount) })
          : t("intake.acceptedSummary", { count: num(r.submissions.length) })}
      </p>
      {r.files.length ? (
        <DataTable
          caption={t("intake.filesRead")}
          dense
          rows={r.files}
          rowKey={(f) => f.file}
          columns={[
            { id: "file", header: t("intake.file"), value: (f) => f.file },
            { id: "dataset", header: t("intake.dataset"), value: (f) => f.dataset },
            { id: "format", header: t("intake.format"), value: (f) => f.format },
            {
              id: "rows",
              header: t("overview.rows"),
              value: (f) => f.rows,
              cell: (f) => num(f.rows),
              align: "right",
            },
          ]}
        />
      ) : null}
      {r.problems.length ? (
        <>
          <h3>{t("intake.problems")}</h3>
          <p className="small">
            {Object.entries(r.countsByRule)
              .map(([rule, n]) => `${rule}: ${num(n)}`)
              .join(" · ")}
            {r.moreProblems ? ` · ${t("intake.more", { count: num(r.moreProblems) })}` : ""}
          </p>
          <DataTable
            caption={t("intake.problems")}
            columns={columns}
            rows={r.problems}
            rowKey={(p) => `${p.file}:${p.row}:${p.column}:${p.rule}`}
            dense
          />
        </>
      ) : null}
      {r.submissions.length ? (
        <DataTable
          caption={t("intake.submissions")}
          dense
          rows={r.submissions}
          rowKey={(s) => `${s.institution}:${s.dataset}:${s.period}`}
          columns={[
            { id: "inst", header: t("inst.code"), value: (s) => s.institution },
            { id: "dataset", header: t("intake.dataset"), value: (s) => s.dataset },
            { id: "period", header: t("warnings.period"), value: (s) => s.period },
            { id: "rows", header: t("overview.rows"), value: (s) => s.rows, align: "right" },
            { id: "status", header: t("cases.status"), value: (s) => label("submissionStatus", s.status) },
          ]}
        />
      ) : null}
      {r.skipped.length ? (
        <p className="small muted">{t("intake.skipped", { files: r.skipped.join(", ") })}</p>
      ) : null}
    </Card>
  );
}

function RecentReports() {
  const { t, date, num, label } = useI18n();
  const session = useSession();
  const reports = useApi<{
    items: { id: number; receivedAt: string; source: string; status: string; problemCount: number }[];
  }>(hasRole(session, ["admin", "auditor"]) ? "/api/intake-reports" : null, { pageSize: 20 });
  if (!hasRole(session, ["admin", "auditor"])) return null;
  return (
    <Card title={t("intake.recent")} wide>
      <Async state={reports}>
        {(d) =>
          d.items.length === 0 ? (
            <Empty />
          ) : (
            <DataTable
              caption={t("intake.recent")}
              dense
              rows={d.items}
              rowKey={(x) => String(x.id)}
              columns={[
                {
                  id: "at",
                  header: t("intake.received"),
                  value: (x) => x.receivedAt,
                  cell: (x) => date(x.receivedAt, true),
                },
                { id: "source", header: t("intake.file"), value: (x) => x.source },
                { id: "status", header: t("cases.status"), value: (x) => label("intakeStatus", x.status) },
                {
                  id: "errors",
                  header: t("intake.problems"),
                  value: (x) => x.problemCount,
                  cell: (x) => num(x.problemCount),
                  align: "right",
                },
              ]}
            />
          )
        }
      </Async>
    </Card>
  );
}
