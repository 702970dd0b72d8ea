import { sectors, sectorUnits, supervisoryUnits } from "@beacon/core/contract/institution-types";
import { type FormEvent, useState } from "react";
import { ApiError, apiPost } from "../../api/client.ts";
import { useApi } from "../../api/use-api.ts";
import { pick, useI18n } from "../../i18n/i18n.ts";
import { unitName } from "../../lib/labels.ts";
import { hasRole, useSession } from "../../session.ts";
import { Async, Badge, Card, ErrorView, Field, Page } from "../../ui/common.tsx";
import { type Column, DataTable } from "../../ui/data-table.tsx";

interface User {
  id: number;
  username: string;
  displayName: string | null;
  role: string;
  unit: string | null;
  institution: string | null;
  districts: string[] | null;
  disabledAt: string | null;
  lockedUntil: string | null;
  lastLoginAt: string | null;
}

const roles = [
  "admin",
  "auditor",
  "lead_supervisor",
  "coordinating_supervisor",
  "finance_office",
  "institution",
];

/** Users and their scope, and the supervisory units with the sectors each leads or coordinates. */
export function AdminPage() {
  const { t, lang, label, date } = useI18n();
  const session = useSession();
  const users = useApi<{ items: User[] }>("/api/users");
  const [error, setError] = useState<ApiError | null>(null);
  const isAdmin = hasRole(session, ["admin"]);
  const disable = async (u: User) => {
    setError(null);
    try {
      await apiPost(`/api/users/${u.id}/disable`);
      users.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "NETWORK", String(e)));
    }
  };
  const columns: Column<User>[] = [
    { id: "username", header: t("admin.username"), value: (u) => u.username },
    { id: "name", header: t("admin.displayName"), value: (u) => u.displayName ?? "" },
    { id: "role", header: t("admin.role"), value: (u) => label("role", u.role) },
    {
      id: "unit",
      header: t("admin.unit"),
      value: (u) => (u.unit ? unitName(lang, u.unit) : (u.institution ?? "")),
    },
    {
      id: "districts",
      header: t("admin.districts"),
      value: (u) => u.districts?.join(", ") ?? t("admin.allDistricts"),
    },
    {
      id: "last",
      header: t("admin.lastLogin"),
      value: (u) => u.lastLoginAt ?? "",
      cell: (u) => date(u.lastLoginAt, true),
    },
    {
      id: "state",
      header: t("cases.status"),
      value: (u) =>
        u.disabledAt ? t("admin.disabled") : u.lockedUntil ? t("admin.locked") : t("admin.active"),
      cell: (u) =>
        u.disabledAt ? (
          <Badge text={t("admin.disabled")} tone="muted" />
        ) : u.lockedUntil ? (
          <Badge text={t("admin.locked")} tone="warn" />
        ) : (
          <Badge text={t("admin.active")} tone="ok" />
        ),
    },
    {
      id: "actions",
      header: t("common.actions"),
      value: () => "",
      cell: (u) =>
        isAdmin && !u.disabledAt ? (
          <button type="button" className="btn btn-small" onClick={() => void disable(u)}>
            {t("admin.disable")}
          </button>
        ) : null,
    },
  ];
  const units = Object.keys(supervisoryUnits) as (keyof typeof supervisoryUnits)[];
  return (
    <Page title={t("admin.title")}>
      {error ? <ErrorView error={error} /> : null}
      <Card title={t("admin.users")} wide>
        <Async state={users}>
          {(d) => (
            <DataTable
              caption={t("admin.users")}
              columns={columns}
              rows={d.items}
              rowKey={(u) => String(u.id)}
            />
          )}
        </Async>
      </Card>
      {isAdmin ? <CreateUser onCreated={users.reload} /> : null}
      <Card title={t("admin.units")} wide>
        <DataTable
          caption={t("admin.units")}
          rows={units}
          rowKey={(u) => u}
          dense
          columns={[
            { id: "code", header: t("admin.unitCode"), value: (u) => u },
            { id: "name", header: t("admin.unit"), value: (u) => pick(lang, supervisoryUnits[u]) },
            {
              id: "leads",
              header: t("admin.leads"),
              value: (u) =>
                sectors
                  .filter((s) => sectorUnits[s].lead.includes(u))
                  .map((s) => label("sector", s))
                  .join("、"),
            },
            {
              id: "coordinates",
              header: t("admin.coordinates"),
              value: (u) =>
                sectors
                  .filter((s) => sectorUnits[s].coordinate.includes(u))
                  .map((s) => label("sector", s))
                  .join("、"),
            },
          ]}
        />
      </Card>
    </Page>
  );
}

function CreateUser({ onCreated }: { onCreated: () => void }) {
  const { t, lang, label } = useI18n();
  const [form, setForm] = useState({
    username: "",
    password: "",
    role: "lead_supervisor",
    unit: "cbrc_cq",
    institution: "",
    displayName: "",
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    const body: Record<string, unknown> = {
      username: form.username,
      password: form.password,
      role: form.role,
    };
    if (form.displayName) body.displayName = form.displayName;
    if (["lead_supervisor", "coordinating_supervisor", "finance_office"].includes(form.role))
      body.unit = form.unit;
    if (form.role === "institution") body.institution = form.institution;
    try {
      await apiPost("/api/users", body);
      setDone(t("admin.created", { username: form.username }));
      setForm((f) => ({ ...f, username: "", password: "" }));
      onCreated();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "NETWORK", String(err)));
    }
  };
  return (
    <Card title={t("admin.create")} wide>
      <form className="form-row wrap" onSubmit={submit}>
        <Field label={t("admin.username")}>
          <input required value={form.username} onChange={set("username")} autoComplete="off" />
        </Field>
        <Field label={t("admin.displayName")}>
          <input value={form.displayName} onChange={set("displayName")} />
        </Field>
        <Field label={t("login.password")}>
          <input
            required
            type="password"
            value={form.password}
            onChange={set("password")}
            autoComplete="new-password"
          />
        </Field>
        <Field label={t("admin.role")}>
          <select value={form.role} onChange={set("role")}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {label("role", r)}
              </option>
            ))}
          </select>
        </Field>
        {["lead_supervisor", "coordinating_supervisor", "finance_office"].includes(form.role) ? (
          <Field label={t("admin.unit")}>
            <select value={form.unit} onChange={set("unit")}>
              {Object.keys(supervisoryUnits).map((u) => (
                <option key={u} value={u}>
                  {unitName(lang, u)}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {form.role === "institution" ? (
          <Field label={t("inst.code")}>
            <input
              required
              value={form.institution}
              onChange={set("institution")}
              pattern="[0-9A-Za-z]{18}"
            />
          </Field>
        ) : null}
        <button type="submit" className="btn btn-primary">
          {t("admin.createSubmit")}
        </button>
      </form>
      {done ? (
        <p className="note" role="status">
          {done}
        </p>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
    </Card>
  );
}
