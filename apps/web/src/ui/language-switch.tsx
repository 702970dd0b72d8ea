import { useI18n } from "../i18n/i18n.ts";

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <fieldset className="lang-switch">
      <legend className="sr-only">{t("app.language")}</legend>
      <button
        type="button"
        className="btn btn-small"
        aria-pressed={lang === "zh"}
        onClick={() => setLang("zh")}
        lang="zh-CN"
      >
        {t("app.langZh")}
      </button>
      <button
        type="button"
        className="btn btn-small"
        aria-pressed={lang === "en"}
        onClick={() => setLang("en")}
        lang="en"
      >
        {t("app.langEn")}
      </button>
    </fieldset>
  );
}
