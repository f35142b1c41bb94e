import type { ITheme } from '@xterm/xterm';

/**
 * The terminal's colours for the app's light and dark themes. xterm's own palette is made for a dark background
 * (its yellow and white vanish on white), so the light one uses darker members of the same hues; the terminal also
 * gets `minimumContrastRatio`, which brightens or darkens any colour a program picks that would still be unreadable.
 */
export const terminalThemes: Record<'light' | 'dark', ITheme> = {
  light: {
    background: '#ffffff',
    foreground: '#1f2328',
    cursor: '#1f2328',
    cursorAccent: '#ffffff',
    selectionBackground: '#b4d3f5',
    selectionForeground: '#1f2328',
    black: '#1f2328',
    red: '#b3243f',
    green: '#0b6b3a',
    yellow: '#7f4b00',
    blue: '#0d56b3',
    magenta: '#8a3a9e',
    cyan: '#0b6775',
    white: '#5c6166',
    brightBlack: '#4b5157',
    brightRed: '#9c1f37',
    brightGreen: '#095c32',
    brightYellow: '#6f4100',
    brightBlue: '#0b4a9a',
    brightMagenta: '#74308a',
    brightCyan: '#095763',
    brightWhite: '#3c4248',
  },
  dark: {
    background: '#18181c',
    foreground: '#e6e6e6',
    cursor: '#e6e6e6',
    cursorAccent: '#18181c',
    selectionBackground: '#3e5a80',
    selectionForeground: '#ffffff',
    black: '#3c3c42',
    red: '#ff7b8a',
    green: '#63d68f',
    yellow: '#f2c55c',
    blue: '#7cb2ff',
    magenta: '#dd9cf2',
    cyan: '#5fd4e0',
    white: '#d0d0d0',
    brightBlack: '#8b8b93',
    brightRed: '#ff9eaa',
    brightGreen: '#8ae6ab',
    brightYellow: '#f7d98c',
    brightBlue: '#a3c9ff',
    brightMagenta: '#e9bbf7',
    brightCyan: '#8ce3eb',
    brightWhite: '#ffffff',
  },
};

/** WCAG AA for body text. */
export const minimumContrastRatio = 4.5;
