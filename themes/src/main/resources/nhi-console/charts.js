// Bar charts as SVG, built with DOM calls (no inline code or styles, as the page's CSP requires).
const SVG = 'http://www.w3.org/2000/svg';

function el(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, String(value));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/**
 * bars: [{label, values: [n, ...]}], one value per series; series: names, drawn with classes a, b.
 * Every bar carries a title with its exact figure.
 */
export function barChart(title, bars, series) {
  const width = 560;
  const height = 200;
  const left = 44;
  const bottom = 52;
  const top = 10;
  const max = Math.max(1, ...bars.flatMap(b => b.values));
  const svg = el('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  svg.append(el('title', {}, title));
  const slot = (width - left) / Math.max(1, bars.length);
  const barWidth = Math.max(2, (slot - 4) / series.length);
  const scale = (height - top - bottom) / max;
  svg.append(el('text', { x: 0, y: top + 12 }, String(max)), el('text', { x: 0, y: height - bottom }, '0'));
  bars.forEach((bar, i) => {
    bar.values.forEach((value, s) => {
      const h = value * scale;
      const rect = el('rect', { class: s === 0 ? 'a' : 'b', x: left + i * slot + s * barWidth, y: height - bottom - h,
        width: barWidth - 1, height: Math.max(h, value > 0 ? 1 : 0) });
      rect.append(el('title', {}, `${bar.label}: ${value} ${series[s]}`));
      svg.append(rect);
    });
    // At most about seven labels fit under a chart of this width.
    if (i % Math.ceil(bars.length / 7) === 0) {
      svg.append(el('text', { x: left + i * slot, y: height - bottom + 18 }, bar.label));
    }
  });
  series.forEach((name, s) => {
    svg.append(el('rect', { class: s === 0 ? 'a' : 'b', x: left + s * 120, y: height - 16, width: 12, height: 12 }),
      el('text', { x: left + s * 120 + 16, y: height - 5 }, name));
  });
  return svg;
}
