/**
 * Line colours of the graphs: from Okabe and Ito's palette, which people
 * with the common colour-vision deficiencies tell apart, in shades that keep
 * 3:1 against each theme's background. The second line of a chart is also
 * dashed, so lines differ by more than colour.
 */
const lines = {
  light: ['#0072b2', '#b84e00', '#007a5a'],
  dark: ['#56b4e9', '#e69f00', '#4fd1a5'],
} as const;

export type ThemeName = keyof typeof lines;

/** The colour of the line at `index` of a chart. */
export function lineColour(theme: ThemeName, index: number): string {
  const colours = lines[theme];
  return colours[index % colours.length] ?? colours[0];
}

/** Dashes for every line after the first: solid, dashed, dotted. */
export function lineDash(index: number): number[] | undefined {
  if (index === 0) return undefined;
  return index === 1 ? [8, 4] : [2, 3];
}
