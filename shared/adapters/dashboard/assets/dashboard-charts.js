// Building blocks of the page: DOM and SVG builders that only ever set text and attributes (stored
// strings come from outside: never parsed as HTML), formatting, and the two charts. The server sends
// chart positions as fractions (shared/core/dashboard), so these functions only scale them.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element with attributes and children; strings become text nodes, never markup. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) if (value !== undefined && value !== null) node.setAttribute(key, String(value));
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** An SVG element; `text` (optional) becomes its text content. */
function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** `45s`, `12m`, `3h`, `3h 05m`, `2d`, `2d 4h`: two units at most, a zero second unit left out. */
function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  const [big, small, unit, smallUnit] = s < 86400
    ? [Math.floor(s / 3600), Math.floor((s % 3600) / 60), 'h', 'm'] : [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), 'd', 'h'];
  return small === 0 ? `${big}${unit}` : `${big}${unit} ${smallUnit === 'm' ? String(small).padStart(2, '0') : small}${smallUnit}`;
}

/** A time as local `YYYY-MM-DD HH:MM:SS`. */
function clock(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso || '';
  const pad = n => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A number with at most 4 significant digits. */
function metric(value) {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

function pill(state) {
  return el('span', {class: `pill s-${state}`}, state);
}

/** One lane per state, one bar per span in it; final states are markers. */
function renderTimeline(timeline) {
  if (!timeline) return el('p', {class: 'note'}, 'No transition recorded yet.');
  const [left, width, lane] = [96, 440, 20];
  const height = timeline.lanes.length * lane + 24;
  const chart = svgEl('svg', {class: 'timeline', viewBox: `0 0 ${left + width + 8} ${height}`, width: left + width + 8, height, role: 'img', 'aria-label': 'job states over time'});
  timeline.lanes.forEach((row, index) => {
    const y = index * lane;
    chart.append(svgEl('text', {class: 'lane-label', x: 0, y: y + 14}, row.state));
    chart.append(svgEl('line', {class: 'axis', x1: left, x2: left + width, y1: y + lane - 1, y2: y + lane - 1}));
    for (const bar of row.bars) {
      const x = left + bar.x0 * width;
      const w = row.final ? 6 : Math.max(2, (bar.x1 - bar.x0) * width);
      const kind = `${row.final ? ' final' : ''}${bar.skipped ? ' skipped' : ''}`;
      const rect = svgEl('rect', {class: `bar s-${row.state}${kind}`, x: Math.min(x, left + width - w), y: y + 3, width: w, height: lane - 7, rx: 2});
      const span = row.final ? `since ${clock(bar.startTime)}` : `${clock(bar.startTime)} → ${bar.endTime ? clock(bar.endTime) : 'now'} (${duration(bar.seconds)})`;
      rect.append(svgEl('title', {}, `${row.state}: ${span}${bar.skipped ? '; states before it were not observed' : ''}`));
      chart.append(rect);
    }
  });
  const bottom = timeline.lanes.length * lane + 14;
  chart.append(svgEl('text', {x: left, y: bottom}, clock(timeline.startTime)));
  chart.append(svgEl('text', {x: left + width, y: bottom, 'text-anchor': 'end'}, timeline.ended ? clock(timeline.endTime) : 'now'));
  return chart;
}

/** Each finished trial's metric in finish order, and the best-so-far staircase. */
function renderCurve(curve) {
  const [left, width, top, height] = [52, 470, 12, 150];
  const chart = svgEl('svg', {class: `trials stage-${curve.stage}`, viewBox: `0 0 ${left + width + 10} ${top + height + 34}`, width: left + width + 10, height: top + height + 34, role: 'img', 'aria-label': `${curve.stage} trials`});
  const X = x => left + x * width;
  const Y = y => top + (1 - y) * height;
  chart.append(svgEl('line', {class: 'axis', x1: left, x2: left, y1: top, y2: top + height}));
  chart.append(svgEl('line', {class: 'axis', x1: left, x2: left + width, y1: top + height, y2: top + height}));
  chart.append(svgEl('text', {x: left - 4, y: top + 4, 'text-anchor': 'end'}, metric(curve.max)));
  chart.append(svgEl('text', {x: left - 4, y: top + height + 4, 'text-anchor': 'end'}, metric(curve.min)));
  chart.append(svgEl('text', {x: left, y: top + height + 14}, '1'));
  chart.append(svgEl('text', {x: left + width, y: top + height + 14, 'text-anchor': 'end'}, String(curve.points.length)));
  chart.append(svgEl('text', {x: left + width / 2, y: top + height + 28, 'text-anchor': 'middle'}, `${curve.stage} trials in the order they finished`));
  if (curve.bestPath.length > 0) {
    const d = curve.bestPath.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
    chart.append(svgEl('path', {class: 'best', d}));
  }
  for (const point of curve.points) {
    const dot = svgEl('circle', {class: `point${point.improved ? ' improved' : ''}`, cx: X(point.x), cy: Y(point.y), r: point.improved ? 4 : 3});
    dot.append(svgEl('title', {}, `trial ${point.trialId}: ${metric(point.value)} (best so far ${metric(point.best)})`));
    chart.append(dot);
  }
  return chart;
}

function renderTrials(trials) {
  if (trials.status !== 'ok') return el('p', {class: 'note'}, trials.message);
  return trials.curves.map(curve => {
    const best = curve.points.length ? curve.points[curve.points.length - 1].best : undefined;
    const goal = curve.goal === 'MAXIMIZE' ? 'higher is better' : 'lower is better';
    const summary = `${curve.stage}: ${curve.metricId} (${goal}); ${curve.points.length} measured` +
      `${curve.unmeasured ? `, ${curve.unmeasured} without a value` : ''}${best === undefined ? '' : `; best ${metric(best)}`}`;
    return [el('p', {class: 'note'}, summary), renderCurve(curve)];
  });
}

/** A small table; `cells(row)` gives each row's cells (strings or nodes). */
function smallTable(headers, rows, cells, empty) {
  if (!rows.length) return el('p', {class: 'note'}, empty);
  return el('table', {class: 'small'}, el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows.map(row => el('tr', {}, cells(row).map(cell => el('td', {}, cell))))));
}
