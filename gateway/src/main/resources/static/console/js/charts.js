// Charts with Apache ECharts, served by the gateway from its WebJar (no CDN; the version comes from the gateway's
// pom, resolved by webjars-locator). Canvas rendering and rich-text tooltips, so nothing needs inline styles, and
// ECharts' aria option describes each chart to screen readers; every chart also has a data table beside it.

import * as echarts from '/webjars/echarts/dist/echarts.esm.min.js';

const palette = ['#0b5cad', '#bf4b00', '#116329', '#8250df', '#a40e26', '#57606a', '#1b7c83', '#9a6700'];

function init(container) {
  const existing = echarts.getInstanceByDom(container);
  if (existing) existing.dispose();
  const chart = echarts.init(container, null, { renderer: 'canvas' });
  if (window.ResizeObserver) {
    new ResizeObserver(() => chart.resize()).observe(container);
  }
  return chart;
}

const base = {
  animation: false,
  color: palette,
  aria: { enabled: true },
  tooltip: { trigger: 'axis', renderMode: 'richText' },
  legend: { type: 'scroll', top: 0 },
  grid: { left: 8, right: 40, bottom: 8, top: 36, containLabel: true },
};

/** Bars, one series per name (stacked unless said otherwise) over the categories. */
export function barChart(container, { categories, series, yName, stacked = true }) {
  const chart = init(container);
  chart.setOption({
    ...base,
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', name: yName, minInterval: 1 },
    series: series.map((s) => ({ name: s.name, type: 'bar', stack: stacked ? 'total' : undefined, data: s.data, emphasis: { focus: 'series' } })),
  });
  return chart;
}

/** One line over the categories. */
export function lineChart(container, { categories, name, data, yName }) {
  const chart = init(container);
  chart.setOption({
    ...base,
    legend: { show: false },
    grid: { ...base.grid, top: 24 },
    xAxis: { type: 'category', data: categories, boundaryGap: false },
    yAxis: { type: 'value', name: yName },
    series: [{ name, type: 'line', data, areaStyle: { opacity: 0.15 }, symbolSize: 6 }],
  });
  return chart;
}
