import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError, apiPost } from "../../api/client.ts";
import { useI18n } from "../../i18n/i18n.ts";
import { navigate } from "../../lib/router.ts";
import { ErrorView, Field } from "../../ui/common.tsx";

export interface CaseSeed {
  title: string;
  source: { kind: "warning" | "finding" | "breach" | "manual"; ref: string };
  institution?: string | null;
  sector?: string | null;
  description?: string;
}

/** A modal form that opens a case on a warning, finding, breach or concern, then shows the new case. */
export function OpenCaseDialog({ seed, onClose }: { seed: CaseSeed; onClose: () => void }) {
  const { t, label } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [title, setTitle] = useState(seed.title);
  const [description, setDescription] = useState(seed.description ?? "");
  const [priority, setPriority] = useState("normal");
  const [due, setDue] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { title, description, source: seed.source, priority };
      if (seed.institution) body.institution = seed.institution;
      else if (seed.sector) body.sector = seed.sector;
      if (due) body.dueAt = new Date(`${due}T23:59:59`).toISOString();
      const created = await apiPost<{ id: number }>("/api/cases", body);
      onClose();
      navigate(`/cases/${created.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "NETWORK", String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="open-case-title">
      <form onSubmit={submit}>
        <h2 id="open-case-title">{t("cases.open")}</h2>
        <p className="muted small">
          {t("cases.source")}: {label("sourceKind", seed.source.kind)} · {seed.source.ref}
        </p>
        <Field label={t("cases.title")}>
          <input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label={t("cases.description")}>
          <textarea rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <div className="form-row">
          <Field label={t("cases.priority")}>
            <select value={priority} onChange={(e) => setPriority(e.target.value)}>
              {["low", "normal", "high", "urgent"].map((p) => (
                <option key={p} value={p}>
                  {label("priority", p)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("cases.due")}>
            <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
          </Field>
        </div>
        {error ? <ErrorView error={error} /> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t("cases.openSubmit")}
          </button>
        </div>
      </form>
    </dialog>
  );
}
