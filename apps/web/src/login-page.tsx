import { type FormEvent, useState } from "react";
import { ApiError, apiPost, setCsrfToken } from "./api/client.ts";
import { useI18n } from "./i18n/i18n.ts";
import { Field } from "./ui/common.tsx";
import { LanguageSwitch } from "./ui/language-switch.tsx";

export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await apiPost<{ csrfToken: string }>("/api/auth/login", { username, password });
      setCsrfToken(r.csrfToken);
      onSignedIn();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t("login.failed"));
      else if (err instanceof ApiError && err.status === 429) setError(t("login.throttled"));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login" id="main">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-lang">
          <LanguageSwitch />
        </div>
        <h1 id="login-title">{t("app.name")}</h1>
        <p className="muted">{t("app.subtitle")}</p>
        <Field label={t("login.username")}>
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </Field>
        <Field label={t("login.password")}>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        {error ? (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t("login.signingIn") : t("login.signIn")}
        </button>
      </form>
    </main>
  );
}
