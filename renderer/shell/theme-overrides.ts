import type { GlobalThemeOverrides } from 'naive-ui';

/**
 * Naive UI's default colours fail WCAG AA (4.5:1) in places the app uses
 * them: its green and blue under white button text and as selected-menu text,
 * amber tag text, and the near-white "disabled" grey it gives empty-state
 * descriptions. These are darker (light theme) or lighter (dark theme)
 * members of the same hues, each checked against the surface it sits on.
 */
const light: GlobalThemeOverrides = {
  common: {
    primaryColor: '#0e7a43',
    primaryColorHover: '#0c6b3b',
    primaryColorPressed: '#095a31',
    primaryColorSuppl: '#0c6b3b',
    successColor: '#0e7a43',
    successColorHover: '#0c6b3b',
    successColorPressed: '#095a31',
    successColorSuppl: '#0c6b3b',
    infoColor: '#1060c9',
    infoColorHover: '#0d52ad',
    infoColorPressed: '#0a4590',
    infoColorSuppl: '#0d52ad',
    warningColor: '#7f4b00',
    warningColorHover: '#6f4100',
    warningColorPressed: '#5f3800',
    warningColorSuppl: '#6f4100',
    textColor3: '#5c6166',
  },
  Empty: { textColor: '#5c6166' },
};

const dark: GlobalThemeOverrides = {
  common: { textColor3: '#b4b8bd' },
  Empty: { textColor: '#b4b8bd' },
};

export function themeOverridesFor(theme: 'light' | 'dark'): GlobalThemeOverrides {
  return theme === 'dark' ? dark : light;
}
