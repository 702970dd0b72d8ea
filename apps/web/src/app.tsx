import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, apiGet, apiPost, onUnauthorised, setCsrfToken } from "./api/client.ts";
import { prefetch } from "./api/use-api.ts";
import { overviewRequests } from "./features/overview/overview-data.ts";
import {
  I18nContext,
  initialLang,
  type Lang,
  type MessageKey,
  makeI18n,
  saveLang,
  useI18n,
} from "./i18n/i18n.ts";
import { unitName } from "./lib/labels.ts";
import { matchPath, navigate, useLocation } from "./lib/router.ts";
import { LoginPage } from "./login-page.tsx";
import {
  type Session,
  SessionContext,
  type SessionUser,
  staffRoles,
  supervisorRoles,
  useSession,
} from "./session.ts";
import { ErrorView, Link, Loading } from "./ui/common.tsx";
import { LanguageSwitch } from "./ui/language-switch.tsx";

// Every page is its own chunk: the first load carries only the shell and the page it opens.
const loadOverview = () => import("./features/overview/overview-page.tsx");
const OverviewPage = lazy(() => loadOverview().then((m) => ({ default: m.OverviewPage })));
// Most sessions open on the overview: fetch its code while the session is checked.
if (typeof location !== "undefined" && location.pathname === "/") loadOverview().catch(() => {});
const WarningsPage = lazy(() =>
  import("./features/warnings/warnings-page.tsx").then((m) => ({ default: m.WarningsPage })),
);
const InstitutionsPage = lazy(() =>
  import("./features/institutions/institutions-page.tsx").then((m) => ({ default: m.InstitutionsPage })),
);
const InstitutionPage = lazy(() =>
  import("./features/institutions/institution-page.tsx").then((m) => ({ default: m.InstitutionPage })),
);
const RulesPage = lazy(() =>
  import("./features/rules/rules-page.tsx").then((m) => ({ default: m.RulesPage })),
);
const NetworksPage = lazy(() =>
  import("./features/networks/networks-page.tsx").then((m) => ({ default: m.NetworksPage })),
);
const CasesPage = lazy(() =>
  import("./features/workflow/cases-page.tsx").then((m) => ({ default: m.CasesPage })),
);
const CasePage = lazy(() =>
  import("./features/workflow/case-page.tsx").then((m) => ({ default: m.CasePage })),
);
const EventsPage = lazy(() =>
  import("./features/workflow/events-page.tsx").then((m) => ({ default: m.EventsPage })),
);
const RectificationsPage = lazy(() =>
  import("./features/workflow/rectifications-page.tsx").then((m) => ({ default: m.RectificationsPage })),
);
const FilingsPage = lazy(() =>
  import("./features/workflow/filings-page.tsx").then((m) => ({ default: m.FilingsPage })),
);
const IntakePage = lazy(() =>
  import("./features/intake/intake-page.tsx").then((m) => ({ default: m.IntakePage })),
);
const AdminPage = lazy(() =>
  import("./features/admin/admin-page.tsx").then((m) => ({ default: m.AdminPage })),
);
const ReportsPage = lazy(() =>
  import("./features/reports/reports-page.tsx").then((m) => ({ default: m.ReportsPage })),
);

interface RouteDef {
  path: string;
  nav?: MessageKey;
  group?: MessageKey;
  roles?: readonly string[];
  render: (params: Record<string, string>) => ReactNode;
}

const all = [
  "admin",
  "auditor",
  "lead_supervisor",
  "coordinating_supervisor",
  "finance_office",
  "institution",
];
const routes: RouteDef[] = [
  {
    path: "/",
    nav: "nav.overview",
    group: "nav.groupMonitor",
    roles: staffRoles,
    render: () => <OverviewPage />,
  },
  {
    path: "/warnings",
    nav: "nav.warnings",
    group: "nav.groupMonitor",
    roles: staffRoles,
    render: () => <WarningsPage />,
  },
  {
    path: "/institutions",
    nav: "nav.institutions",
    group: "nav.groupMonitor",
    roles: staffRoles,
    render: () => <InstitutionsPage />,
  },
  { path: "/institutions/:code", render: (p) => <InstitutionPage code={p.code!} /> },
  {
    path: "/rules",
    nav: "nav.rules",
    group: "nav.groupMonitor",
    roles: staffRoles,
    render: () => <RulesPage />,
  },
  {
    path: "/networks",
    nav: "nav.networks",
    group: "nav.groupMonitor",
    roles: staffRoles,
    render: () => <NetworksPage />,
  },
  {
    path: "/cases",
    nav: "nav.cases",
    group: "nav.groupWorkflow",
    roles: ["auditor", ...supervisorRoles],
    render: () => <CasesPage />,
  },
  { path: "/cases/:id", render: (p) => <CasePage id={p.id!} /> },
  {
    path: "/events",
    nav: "nav.events",
    group: "nav.groupWorkflow",
    roles: ["auditor", ...supervisorRoles, "institution"],
    render: () => <EventsPage />,
  },
  {
    path: "/rectifications",
    nav: "nav.rectifications",
    group: "nav.groupWorkflow",
    roles: ["auditor", ...supervisorRoles, "institution"],
    render: () => <RectificationsPage />,
  },
  {
    path: "/filings",
    nav: "nav.filings",
    group: "nav.groupWorkflow",
    roles: ["auditor", ...supervisorRoles, "institution"],
    render: () => <FilingsPage />,
  },
  {
    path: "/intake",
    nav: "nav.intake",
    group: "nav.groupWorkflow",
    roles: all,
    render: () => <IntakePage />,
  },
  {
    path: "/reports",
    nav: "nav.reports",
    group: "nav.groupWorkflow",
    roles: staffRoles,
    render: () => <ReportsPage />,
  },
  {
    path: "/admin",
    nav: "nav.admin",
    group: "nav.groupAdmin",
    roles: ["admin", "auditor"],
    render: () => <AdminPage />,
  },
];

function allowed(session: Session, r: RouteDef): boolean {
  if (!r.roles || session.user === "open") return true;
  return session.user !== null && r.roles.includes(session.user.role);
}

/** The console: language, session, navigation and the page for the current path. */
export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    saveLang(l);
    setLangState(l);
  }, []);
  const i18n = useMemo(() => makeI18n(lang, setLang), [lang, setLang]);
  useEffect(() => saveLang(lang), [lang]);
  const [user, setUser] = useState<Session["user"] | undefined>(undefined);
  const [bootError, setBootError] = useState<ApiError | null>(null);

  const loadMe = useCallback(() => {
    apiGet<SessionUser & { kind?: string }>("/api/auth/me").then(
      (me) => {
        // The overview's data, requested while its code is still arriving.
        if (me.username && location.pathname === "/" && (staffRoles as readonly string[]).includes(me.role)) {
          for (const [path, query] of Object.values(overviewRequests)) prefetch(path, query);
        }
        setUser(me.username ? { ...me, sectors: me.sectors ?? [] } : null);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.routeMissing) setUser("open");
        else if (e instanceof ApiError && e.status === 401) setUser(null);
        else setBootError(e instanceof ApiError ? e : new ApiError(0, "NETWORK", String(e)));
      },
    );
  }, []);
  useEffect(() => loadMe(), [loadMe]);
  useEffect(() => onUnauthorised(() => setUser((u) => (u === "open" ? u : null))), []);

  const signOut = useCallback(() => {
    apiPost("/api/auth/logout").catch(() => {});
    setCsrfToken(null);
    setUser(null);
    navigate("/");
  }, []);
  const session = useMemo<Session>(() => ({ user: user ?? null, signOut }), [user, signOut]);

  let body: ReactNode;
  if (bootError) body = <ErrorView error={bootError} />;
  else if (user === undefined) body = <Loading />;
  else if (user === null) body = <LoginPage onSignedIn={loadMe} />;
  else body = <Shell />;
  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={session}>{body}</SessionContext.Provider>
    </I18nContext.Provider>
  );
}

function Shell() {
  const { t, lang, label } = useI18n();
  const session = useSession();
  const { path } = useLocation();
  const visible = routes.filter((r) => r.nav && allowed(session, r));
  // A user who cannot see the overview starts on the first page they can see.
  const first = visible[0]?.path ?? "/intake";
  let page: ReactNode = null;
  for (const r of routes) {
    const params = matchPath(r.path, path);
    if (params) {
      page = r.render(params);
      if (r.path === "/" && !allowed(session, r)) {
        navigate(first, true);
        page = null;
      }
      break;
    }
  }
  if (page === null && path !== "/") page = <ErrorView error={new ApiError(404, "NOT_FOUND", path)} />;
  const groups: MessageKey[] = ["nav.groupMonitor", "nav.groupWorkflow", "nav.groupAdmin"];
  const u = session.user;
  const isActive = (p: string) => (p === "/" ? path === "/" : path === p || path.startsWith(`${p}/`));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t("app.name")}</span>
          <span className="brand-sub">{t("app.subtitle")}</span>
        </div>
        <div className="topbar-right">
          <LanguageSwitch />
          {u && u !== "open" ? (
            <div className="user">
              <span className="user-name">{u.username}</span>
              <span className="user-role">
                {label("role", u.role)}
                {u.unit ? ` · ${unitName(lang, u.unit)}` : ""}
              </span>
              <button type="button" className="btn btn-small" onClick={session.signOut}>
                {t("app.signOut")}
              </button>
            </div>
          ) : (
            <span className="muted">{t("app.noSignIn")}</span>
          )}
        </div>
      </header>
      <nav className="sidebar" aria-label={t("nav.label")}>
        {groups.map((g) => {
          const items = visible.filter((r) => r.group === g);
          if (items.length === 0) return null;
          return (
            <div key={g} className="nav-group">
              <div className="nav-group-title">{t(g)}</div>
              <ul>
                {items.map((r) => (
                  <li key={r.path}>
                    <Link to={r.path} className={isActive(r.path) ? "nav-link active" : "nav-link"}>
                      {t(r.nav!)}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>{page}</Suspense>
      </main>
    </div>
  );
}
