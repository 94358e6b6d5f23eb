import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import adminEn from './admin.en.json';
import adminEs from './admin.es.json';
import en from './en.json';
import es from './es.json';

export type Locale = 'es' | 'en';
export type MessageKey = keyof typeof es | keyof typeof adminEs;
// The admin screens' strings live in their own files so the inbox and admin catalogues change independently.
const CATALOGS: Record<Locale, Record<MessageKey, string>> = { es: { ...es, ...adminEs }, en: { ...en, ...adminEn } };
const STORAGE_KEY = 'conversa.locale';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function translator(locale: Locale): Translate {
  return (key, params) => {
    const text = CATALOGS[locale][key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (match, name: string) => String(params[name] ?? match)) : text;
  };
}

/** Spanish first; the choice is remembered in this browser. */
export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocale] = useState<Locale>(() => initial ?? (localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'es'));
  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, locale);
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => ({ locale, setLocale, t: translator(locale) }), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
