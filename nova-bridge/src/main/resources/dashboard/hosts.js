// Hosts: the heat map over GET /v1/cluster/loads (polled every 10 s while shown), and one host's
// VMs, sample window and AR(1) forecast from GET /v1/hosts/{name}.
import { get } from './api.js';
import { $, el, clear, facts, pct, num, when, showError } from './ui.js';
import { HeatMap } from './heatmap.js';
import { drawSamples } from './chart.js';
import { handle } from './errors.js';

const POLL_MS = 10000;
let map = null;
let timer = null;
let loads = null;
let opened = null;

export function show() {
  if (!map) {
    map = new HeatMap($('heatmap'), $('tooltip'), openHost);
    $('metric').addEventListener('change', paint);
    $('show-forecast').addEventListener('change', paint);
    $('host-search').addEventListener('submit', (e) => {
      e.preventDefault();
      const name = $('host-search-name').value.trim();
      if (name) openHost(name);
    });
  }
  refresh();
  timer = setInterval(refresh, POLL_MS);
}

export function hide() {
  clearInterval(timer);
  timer = null;
}

export function latestLoads() {
  return loads;
}

async function refresh() {
  try {
    loads = await get('/v1/cluster/loads');
    showError($('hosts-error'), null);
  } catch (err) {
    handle(err, $('hosts-error'));
    return;
  }
  const n = loads.hosts.length;
  const hot = loads.hotspot.filter(Boolean).length;
  $('host-count').textContent = `${n} host${n === 1 ? '' : 's'}, ${hot} hotspot${hot === 1 ? '' : 's'}`
    + (loads.stale ? `, ${loads.stale.filter(Boolean).length} stale` : '');
  $('cluster-cm').textContent = `C_avg ${pct(loads.c_avg)}, C_m ${pct(loads.c_m)}`;
  // The datalist helps find a host by name; beyond 500 names it costs more than it helps (type the name).
  const names = $('host-names');
  if (names.childElementCount !== Math.min(n, 500)) {
    clear(names);
    for (const h of loads.hosts.slice(0, 500)) names.append(el('option', { value: h }));
  }
  hotspotList();
  paint();
  if (opened) openHost(opened, true);
}

function paint() {
  if (loads) map.set(loads, $('metric').value, $('show-forecast').checked);
}

function hotspotList() {
  const list = clear($('hotspot-list'));
  const rows = [];
  loads.hosts.forEach((h, i) => {
    if (loads.hotspot[i]) rows.push([h, `hotspot, CPU ${pct(loads.cpu_util[i])}`]);
    else if (loads.forecast_hotspot[i]) rows.push([h, `forecast hotspot, CPU → ${pct(loads.forecast.cpu_util[i])}`]);
  });
  if (rows.length === 0) list.append(el('li', { class: 'muted', text: 'none' }));
  for (const [h, why] of rows.slice(0, 200)) {
    list.append(el('li', {}, el('button', { type: 'button', class: 'link', text: h, onclick: () => openHost(h) }), ` ${why}`));
  }
  if (rows.length > 200) list.append(el('li', { class: 'muted', text: `… and ${rows.length - 200} more` }));
}

async function openHost(name, quiet = false) {
  let h;
  try {
    h = await get(`/v1/hosts/${encodeURIComponent(name)}`);
  } catch (err) {
    if (!quiet) handle(err, $('hosts-error'));
    return;
  }
  opened = name;
  map.select(name);
  $('host-detail').hidden = false;
  $('host-name').textContent = h.name;
  const i = loads ? loads.hosts.indexOf(h.name) : -1;
  const mark = i < 0 ? '' : loads.hotspot[i] ? 'hotspot' : loads.forecast_hotspot[i] ? 'forecast hotspot' : 'no';
  facts($('host-facts'), [
    ['CPU', `${pct(h.cpu_util)} → ${pct(h.forecast.cpu_util)}`],
    ['memory', `${pct(h.mem_util)} → ${pct(h.forecast.mem_util)}`],
    ['NIC', `${pct(h.nic_util)} → ${pct(h.forecast.nic_util)}`],
    ['swap writes', `${num(h.swap_writes_per_s, 0)}/s`],
    ['hotspot', mark],
    ['capacity', `${h.capacity.vcpus} vCPU, ${h.capacity.memory_mb} MB, ${h.capacity.disk_gb ?? '–'} GB, ${h.capacity.nic_mbps ?? '–'} Mbit/s`],
    ['allocated', `${h.usage.vcpus_used} vCPU, ${h.usage.memory_mb_used} MB`],
    ['enabled', h.enabled ? 'yes' : 'no'],
    ['stale', h.stale === undefined ? 'not judged by this bridge' : h.stale ? 'yes' : 'no'],
    ['last sample', when(h.last_sample_at || (h.last_sample && h.last_sample.at))],
  ]);
  drawSamples($('host-chart'), h.samples || [], h.forecast);
  const vms = h.vms || [];
  $('host-vm-count').textContent = vms.length;
  const list = clear($('host-vms'));
  for (const id of vms) list.append(el('li', { text: id }));
}
