// The page's behaviour: fetch the table and the open job, render them, refresh by itself. Filters and
// the open job live in the URL's hash, so a refresh or a shared link shows the same view.

// API paths relative to the page, which may be served under a path prefix (e.g. /dashboard).
const BASE = location.pathname.endsWith('/') ? location.pathname : `${location.pathname}/`;
const FILTERS = ['state', 'team', 'project'];
const view = {refreshSeconds: 5, timer: undefined, loading: false, again: false};

function hashState() {
  return new URLSearchParams(location.hash.slice(1));
}

function setHash(changes) {
  const params = hashState();
  for (const [key, value] of Object.entries(changes)) value ? params.set(key, value) : params.delete(key);
  history.replaceState(null, '', `#${params}`);
}

async function getJson(path) {
  const response = await fetch(BASE + path, {headers: {accept: 'application/json'}, credentials: 'same-origin'});
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error && body.error.message ? `${response.status}: ${body.error.message}` : `HTTP ${response.status}`);
  return body;
}

function fillSelect(select, values, chosen) {
  const options = [el('option', {value: ''}, 'all'), ...values.map(value => el('option', {value}, value))];
  // A chosen value no longer present stays selectable, so the filter does not silently reset.
  if (chosen && !values.includes(chosen)) options.push(el('option', {value: chosen}, chosen));
  select.replaceChildren(...options);
  select.value = chosen || '';
}

function runtimeCell(runtime) {
  if (!runtime) return '—';
  const label = runtime.phase === 'queue' ? 'queued ' : '';
  if (!runtime.limit) return el('span', {class: 'num'}, `${label}${duration(runtime.seconds)}`);
  const {ratio, seconds, rule} = runtime.limit;
  const meter = el('div', {class: `meter${ratio >= 1 ? ' over' : ratio >= 0.8 ? ' warn' : ''}`, title: `rule ${rule}`}, el('div'));
  meter.firstChild.style.width = `${Math.min(100, Math.round(ratio * 100))}%`;
  return [el('span', {class: 'num'}, `${label}${duration(runtime.seconds)} / ${duration(seconds)} (${Math.round(ratio * 100)}%)`), meter];
}

function trialsCell(trials) {
  if (!trials) return '—';
  const done = `${trials.succeeded}${trials.max ? ` / ${trials.max}` : ''} done${trials.failed ? `, ${trials.failed} failed` : ''}`;
  return [el('span', {class: 'num'}, done), trials.best ? el('div', {class: 'sub'}, `best ${trials.best.metricId} ${metric(trials.best.value)}`) : null];
}

function renderTable(data) {
  const open = hashState().get('job');
  const rows = data.jobs.map(job => {
    const row = el('tr', {'data-id': job.id, class: job.id === open ? 'selected' : null},
      el('td', {}, pill(job.state)),
      el('td', {}, el('div', {class: 'name'}, job.displayName || '(no display name)'), el('div', {class: 'sub'}, job.jobId)),
      el('td', {}, job.project, el('div', {class: 'sub'}, job.location)),
      el('td', {}, job.team || '—'),
      el('td', {class: 'num', title: job.createTime || ''}, duration(job.ageSeconds)),
      el('td', {}, runtimeCell(job.runtime)),
      el('td', {}, trialsCell(job.trials)));
    row.addEventListener('click', () => openJob(job.id));
    return row;
  });
  document.querySelector('#jobs tbody').replaceChildren(...rows);
  document.getElementById('empty').hidden = rows.length > 0;
  const params = hashState();
  for (const key of FILTERS) fillSelect(document.getElementById(`filter-${key}`), data.facets[`${key}s`], params.get(key));
  document.getElementById('counts').textContent = `${data.jobs.length} of ${data.total} jobs shown`;
  document.getElementById('viewer').textContent = data.viewer ? `signed in as ${data.viewer}` : 'open (local run)';
  document.getElementById('footnote').textContent = `The table holds the ${data.limit} most recent jobs by create time` +
    `${data.truncated ? '; older jobs are not shown' : ''}${data.unreadable ? `; ${data.unreadable} stored jobs could not be read` : ''}. ` +
    `It refreshes every ${data.refreshSeconds} s.`;
}

function renderDetail(detail) {
  const {job} = detail;
  document.getElementById('detail-title').replaceChildren(pill(job.state), ' ', job.displayName || job.jobId);
  const labels = Object.entries(detail.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  document.getElementById('detail-sub').textContent = `${job.name} · ${job.project}/${job.location}${labels ? ` · ${labels}` : ''}`;
  const error = document.getElementById('detail-error');
  error.hidden = !detail.error && !detail.cancel;
  error.textContent = [detail.error, detail.cancel && `cancel by ${detail.cancel.rule}: ${detail.cancel.status} after ${detail.cancel.attempts} attempt(s)`].filter(Boolean).join(' · ');
  document.getElementById('timeline').replaceChildren(renderTimeline(detail.timeline));
  document.getElementById('trials').replaceChildren(...[renderTrials(detail.trials)].flat(2));
  document.getElementById('decisions').replaceChildren(smallTable(['When', 'Who', 'Action', 'Verdict', 'Why'], detail.decisions,
    // Violations already name warn-mode rules; warnings repeat them as sentences, so they are shown only alone.
    d => [clock(d.time), d.caller, d.action, el('span', {class: `verdict-${d.verdict}`}, d.verdict),
      [...(d.violations.length ? d.violations : d.warnings), ...d.mutations, d.error].filter(Boolean).join('; ') || '—'],
    'No gate decision about this job.'));
  document.getElementById('enforcement').replaceChildren(smallTable(['When', 'Action', 'Rule', 'Reason'], detail.enforcement,
    e => [clock(e.time), `${e.action || e.key}${e.dryRun ? ' (dry run)' : ''}${e.outcome ? `: ${e.outcome}` : ''}`, e.rule || '—', e.reason || e.message || '—'],
    'No enforcement action.'));
  document.getElementById('events').replaceChildren(smallTable(['When', 'Type', 'What'], detail.events,
    e => [clock(e.time), e.type, el('span', {title: e.id}, e.summary)], 'No event recorded.'));
  document.getElementById('notifications').replaceChildren(smallTable(['When', 'Channel', 'Event', 'State'], detail.notifications,
    n => [clock(n.time), n.channel, n.kind, n.detail ? `${n.state}: ${n.detail}` : n.state], 'No notification sent.'));
}

function showDetail(visible) {
  document.getElementById('detail').hidden = !visible;
  document.getElementById('main').classList.toggle('with-detail', visible);
}

async function refresh() {
  if (view.loading) {
    view.again = true; // a filter changed mid-load: load again with it as soon as this one ends
    return;
  }
  view.loading = true;
  clearTimeout(view.timer);
  const status = document.getElementById('status');
  try {
    const params = hashState();
    const query = new URLSearchParams(FILTERS.filter(key => params.get(key)).map(key => [key, params.get(key)]));
    const data = await getJson(`api/jobs?${query}`);
    view.refreshSeconds = data.refreshSeconds;
    renderTable(data);
    const open = params.get('job');
    if (open) renderDetail(await getJson(`api/jobs/${encodeURIComponent(open)}`));
    showDetail(Boolean(open));
    status.className = '';
    status.textContent = `updated ${clock(data.generatedAt)}`;
  } catch (error) {
    status.className = 'error';
    status.textContent = `refresh failed (${error.message}); showing the last data`;
  } finally {
    view.loading = false;
    view.timer = setTimeout(refresh, view.again ? 0 : view.refreshSeconds * 1000);
    view.again = false;
  }
}

function openJob(id) {
  setHash({job: id});
  refresh();
}

for (const key of FILTERS) {
  document.getElementById(`filter-${key}`).addEventListener('change', event => {
    setHash({[key]: event.target.value});
    refresh();
  });
}
document.getElementById('filter-clear').addEventListener('click', () => {
  setHash({state: '', team: '', project: ''});
  refresh();
});
document.getElementById('detail-close').addEventListener('click', () => {
  setHash({job: ''});
  showDetail(false);
  refresh();
});
refresh();
