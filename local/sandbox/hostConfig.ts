/**
 * Approximations of Teams' light and dark host configs (fonts, colours, spacing), so cards in the
 * sandbox and in the rendering tests look like they will in the Teams client.
 */
type Palette = { text: string; subtle: string; accent: string; attention: string; good: string; warning: string; background: string; emphasis: string; attentionBg: string; goodBg: string; warningBg: string; accentBg: string; line: string };

const LIGHT: Palette = {
  text: '#242424', subtle: '#616161', accent: '#5B5FC7', attention: '#C4314B', good: '#237B4B', warning: '#835B00',
  background: '#FFFFFF', emphasis: '#F5F5F5', attentionBg: '#FCF4F6', goodBg: '#F1FAF1', warningBg: '#FBF6D9', accentBg: '#E8EBFA', line: '#E1DFDD',
};
const DARK: Palette = {
  text: '#FFFFFF', subtle: '#ADADAD', accent: '#7F85F5', attention: '#F9526B', good: '#92C353', warning: '#F8D22A',
  background: '#292929', emphasis: '#333333', attentionBg: '#3E1F25', goodBg: '#0D2E0D', warningBg: '#463100', accentBg: '#2F2F4A', line: '#3D3D3D',
};

function hostConfig(p: Palette) {
  const fg = { default: { default: p.text, subtle: p.subtle } };
  return {
    fontFamily: "'Segoe UI', 'Noto Sans', 'DejaVu Sans', sans-serif",
    supportsInteractivity: true,
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: p.line },
    fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
    fontWeights: { lighter: 200, default: 400, bolder: 600 },
    containerStyles: {
      default: {
        backgroundColor: p.background,
        foregroundColors: {
          default: { default: p.text, subtle: p.subtle },
          accent: { default: p.accent, subtle: p.accent },
          attention: { default: p.attention, subtle: p.attention },
          good: { default: p.good, subtle: p.good },
          warning: { default: p.warning, subtle: p.warning },
          dark: { default: p.text, subtle: p.subtle },
          light: { default: p.background, subtle: p.emphasis },
        },
      },
      emphasis: { backgroundColor: p.emphasis, foregroundColors: fg },
      attention: { backgroundColor: p.attentionBg, foregroundColors: fg },
      good: { backgroundColor: p.goodBg, foregroundColors: fg },
      warning: { backgroundColor: p.warningBg, foregroundColors: fg },
      accent: { backgroundColor: p.accentBg, foregroundColors: fg },
    },
    actions: { maxActions: 6, spacing: 'default', buttonSpacing: 8, showCard: { actionMode: 'inline', inlineTopMargin: 16 }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
    factSet: { title: { weight: 'bolder', wrap: true, maxWidth: 150 }, value: { wrap: true }, spacing: 8 },
  };
}

export const TEAMS_LIGHT_HOST_CONFIG = hostConfig(LIGHT);
export const TEAMS_DARK_HOST_CONFIG = hostConfig(DARK);
