import { useState } from "react";
import { ApiError, apiGet } from "../../api/client.ts";
import { useApi } from "../../api/use-api.ts";
import { useI18n } from "../../i18n/i18n.ts";
import { setSearch, useLocation } from "../../lib/router.ts";
import { Async, Badge, Card, ErrorView, Field, Link, Page, Pager } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";

interface Filing {
  id: number;
  institution: string;
  institutionName: string;
  productCode: string;
  productName: string;
  productKind: string;
  launchDate: string | null;
  amends: number | null;
  filedBy: string;
  filedAt?: string;
  auditSeq?: number;
}

interface ProofAnswer {
  proof: Record<string, unknown>;
  check: { valid?: boolean; ok?: boolean } & Record<string, unknown>;
}

/** The product filing ledger; each filing's inclusion proof in the sealed audit log can be fetched and checked. */
export function FilingsPage() {
  const { t, label, date } = useI18n();
  const { search } = useLocation();
  const f = { q: search.get("q") ?? "", page: Number(search.get("page") ?? 1) || 1 };
  const list = useApi<{ items: Filing[]; total: number; page: number; pageSize: number }>("/api/filings", {
    ...f,
    pageSize: 50,
  });
  const [proof, setProof] = useState<{ id: number; answer?: ProofAnswer; error?: ApiError } | null>(null);
  const fetchProof = async (id: number) => {
    setProof({ id });
    try {
      setProof({ id, answer: await apiGet<ProofAnswer>(`/api/filings/${id}/proof`) });
    } catch (e) {
      setProof({ id, error: e instanceof ApiError ? e : new ApiError(0, "NETWORK", String(e)) });
    }
  };
  const columns: Column<Filing>[] = [
    { id: "id", header: t("cases.id"), value: (x) => x.id },
    {
      id: "institution",
      header: t("inst.name"),
      value: (x) => x.institutionName,
      cell: (x) => <Link to={`/institutions/${x.institution}`}>{x.institutionName}</Link>,
    },
    { id: "code", header: t("filings.productCode"), value: (x) => x.productCode },
    { id: "name", header: t("filings.productName"), value: (x) => x.productName },
    { id: "kind", header: t("filings.kind"), value: (x) => label("productKind", x.productKind) },
    { id: "launch", header: t("filings.launch"), value: (x) => x.launchDate ?? "" },
    { id: "amends", header: t("filings.amends"), value: (x) => x.amends ?? "" },
    {
      id: "filed",
      header: t("filings.filed"),
      value: (x) => x.filedAt ?? "",
      cell: (x) => date(x.filedAt, true),
    },
    {
      id: "proof",
      header: t("filings.proof"),
      value: () => "",
      cell: (x) => (
        <button type="button" className="btn btn-small" onClick={() => void fetchProof(x.id)}>
          {t("filings.checkProof")}
        </button>
      ),
    },
  ];
  const valid = proof?.answer ? (proof.answer.check.valid ?? proof.answer.check.ok) : undefined;
  return (
    <Page title={t("filings.title")}>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new FormData(e.currentTarget).get("q");
          setSearch({ q: typeof q === "string" ? q : "", page: null });
        }}
      >
        <Field label={t("common.search")}>
          <input name="q" type="search" defaultValue={f.q} />
        </Field>
        <button type="submit" className="btn">
          {t("common.apply")}
        </button>
      </form>
      {proof ? (
        <Card title={t("filings.proofOf", { id: proof.id })} wide>
          {proof.error ? (
            proof.error.status === 409 ? (
              <p className="note">{t("filings.notSealed")}</p>
            ) : (
              <ErrorView error={proof.error} />
            )
          ) : proof.answer ? (
            <>
              <Badge
                text={valid ? t("filings.proofValid") : t("filings.proofInvalid")}
                tone={valid ? "ok" : "bad"}
              />
              <details>
                <summary>{t("networks.evidence")}</summary>
                <pre className="evidence">{JSON.stringify(proof.answer, null, 2)}</pre>
              </details>
            </>
          ) : (
            <p className="muted">{t("common.loading")}</p>
          )}
        </Card>
      ) : null}
      <Async state={list}>
        {(d) => (
          <>
            <DataTable
              caption={t("filings.title")}
              columns={columns}
              rows={d.items}
              rowKey={(x) => String(x.id)}
            />
            <Pager
              page={d.page}
              pageSize={d.pageSize}
              total={d.total}
              onPage={(p) => setSearch({ page: p })}
            />
          </>
        )}
      </Async>
    </Page>
  );
}
