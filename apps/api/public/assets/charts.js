// Chart.js (the UMD build served from the installed package) with Vietnamese number formatting.
import { h } from './dom.js';
import { count } from './format.js';

const COLORS = { quota: '#9aa5b1', counted: '#c62828' };

function chartCanvas(label, config) {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  const chart = new window.Chart(canvas, {
    ...config,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: 'vi-VN',
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${count(c.parsed.y)}` } } },
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => count(v) } } },
      ...config.options,
    },
  });
  const box = h('div', { class: 'chart', dataset: { chart: label } }, canvas);
  box.chart = chart;
  return box;
}

/** Counted against quota, one pair of bars per phase. */
export const phaseChart = (labels, quotas, counted) =>
  chartCanvas('Tiến độ theo giai đoạn', {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'Chỉ tiêu', data: quotas, backgroundColor: COLORS.quota },
        { label: 'Đã tính', data: counted, backgroundColor: COLORS.counted },
      ],
    },
  });

/** The running count against the quota in force, event after event of a unit's history. */
export const runningChart = (labels, counted, quota) =>
  chartCanvas('Lũy kế so với chỉ tiêu', {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'Đã tính (lũy kế)', data: counted, borderColor: COLORS.counted, backgroundColor: COLORS.counted, pointRadius: 0, stepped: true },
        { label: 'Chỉ tiêu', data: quota, borderColor: COLORS.quota, backgroundColor: COLORS.quota, borderDash: [6, 4], pointRadius: 0, stepped: true },
      ],
    },
    options: { scales: { x: { ticks: { maxTicksLimit: 8, autoSkip: true } }, y: { beginAtZero: true, ticks: { callback: (v) => count(v) } } } },
  });
