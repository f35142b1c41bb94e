import { useI18n } from 'vue-i18n';
import type { JobTitle } from '../../../shared/domain/jobs';
import { formatBytes, shownText } from '../inventory';

/** Longest server- or file-given text a wizard line shows; longer ends with an ellipsis. */
export const maxShownText = 160;

const sizeParam = /(Bytes|Size)$/;

/**
 * The wizard's wording of what main sends: a JobTitle in the current language (its params made safe to show), a
 * key this version does not know as its params alone rather than a raw key, sizes in the user's locale.
 */
export function useP2vText() {
  const { t, te, locale } = useI18n();
  const bytes = (value: number): string => formatBytes(value, locale.value);

  /** Numbers named as sizes (`wireBytes`, `virtualSize`) read as sizes; text is made safe and cut. */
  function safeParams(params: JobTitle['params']): Record<string, string | number> {
    return Object.fromEntries(
      Object.entries(params ?? {}).map(([name, value]) => {
        if (typeof value === 'number') return [name, sizeParam.test(name) ? bytes(value) : value];
        return [name, shownText(value, maxShownText)];
      }),
    );
  }

  function title(found: JobTitle): string {
    const params = safeParams(found.params);
    if (te(found.key)) return t(found.key, params);
    const values = Object.values(params).join(', ');
    return values === '' ? t('p2v.common.unknownNotice') : `${t('p2v.common.unknownNotice')} (${values})`;
  }

  const text = (value: unknown, max = maxShownText): string => shownText(value, max);

  return { title, bytes, text };
}
