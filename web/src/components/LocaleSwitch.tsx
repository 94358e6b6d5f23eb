import { type Locale, useI18n } from '../i18n/i18n';

export function LocaleSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="locale">
      <span className="sr-only">{t('nav.language')}</span>
      <select value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
        <option value="es">Español</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
