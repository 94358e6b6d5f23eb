import { useI18n } from '../i18n/i18n';
import { hrefOf, SECTIONS, type Section } from '../lib/route';

/** Plain links (Tab/Enter work by themselves); the current one carries aria-current. */
export function AppNav({ current }: { current: Section }) {
  const { t } = useI18n();
  return (
    <nav className="app-nav" aria-label={t('nav.sections')}>
      <ul>
        {SECTIONS.map((section) => (
          <li key={section}>
            <a href={hrefOf(section)} aria-current={section === current ? 'page' : undefined}>{t(`nav.${section}`)}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
