import type { GlobalThemeOverrides } from 'naive-ui';

/**
 * Naive UI's default colours fail WCAG AA (4.5:1) in places the app uses
 * them: its green and blue under white button text and as selected-menu text,
 * amber and red tag text, and the near-white "disabled" grey it gives empty-state
 * descriptions. These are darker (light theme) or lighter (dark theme)
 * members of the same hues, each checked against the surface it sits on,
 * including the 15 % tint of itself a tag puts behind its text.
 */
const light: GlobalThemeOverrides = {
  common: {
    primaryColor: '#0b6b3a',
    primaryColorHover: '#095c32',
    primaryColorPressed: '#074d2a',
    primaryColorSuppl: '#095c32',
    successColor: '#0b6b3a',
    successColorHover: '#095c32',
    successColorPressed: '#074d2a',
    successColorSuppl: '#095c32',
    infoColor: '#0d56b3',
    infoColorHover: '#0b4a9a',
    infoColorPressed: '#093d80',
    infoColorSuppl: '#0b4a9a',
    warningColor: '#7f4b00',
    warningColorHover: '#6f4100',
    warningColorPressed: '#5f3800',
    warningColorSuppl: '#6f4100',
    errorColor: '#b3243f',
    errorColorHover: '#9c1f37',
    errorColorPressed: '#861a2f',
    errorColorSuppl: '#9c1f37',
    textColor3: '#5c6166',
  },
  Empty: { textColor: '#5c6166' },
  // A wizard's steps done and still to come are read, not disabled: muted text, not the disabled grey.
  Steps: { headerTextColorWait: '#5c6166', headerTextColorFinish: '#5c6166', indicatorTextColorWait: '#5c6166', indicatorBorderColorWait: '#5c6166' },
};

const dark: GlobalThemeOverrides = {
  common: { textColor3: '#b4b8bd' },
  Empty: { textColor: '#b4b8bd' },
  Steps: { headerTextColorWait: '#b4b8bd', headerTextColorFinish: '#b4b8bd', indicatorTextColorWait: '#b4b8bd', indicatorBorderColorWait: '#b4b8bd' },
};

export function themeOverridesFor(theme: 'light' | 'dark'): GlobalThemeOverrides {
  return theme === 'dark' ? dark : light;
}
