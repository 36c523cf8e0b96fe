// The cluster heat map: one tile per host on a canvas, so 10,000 hosts are 10,000 fillRect calls and
// no DOM elements. Colour: the chosen utilisation (green 0 % → red 100 %); grey: stale; dark: disabled;
// a black frame: hotspot (seed 004 §3.4.2); a white corner: forecast hotspot.
const GAP = 1;

function hsl(x) {
  return `hsl(${Math.round((1 - x) * 120)}, ${60 + Math.round(x * 15)}%, ${42 + Math.round((1 - Math.abs(x - 0.5) * 2) * 3)}%)`;
}

// 101 steps of 1 %: 10,000 tiles share 101 fill styles instead of building 10,000 colour strings.
const PALETTE = Array.from({ length: 101 }, (_, i) => hsl(i / 100));

export function colour(v) {
  return PALETTE[Math.round(Math.max(0, Math.min(1, v || 0)) * 100)];
}

export class HeatMap {
  constructor(canvas, tooltip, onPick) {
    this.canvas = canvas;
    this.tooltip = tooltip;
    this.onPick = onPick;
    this.loads = null;
    this.metric = 'cpu_util';
    this.forecast = false;
    this.selected = -1;
    canvas.addEventListener('click', (e) => {
      const i = this.indexAt(e);
      if (i >= 0) this.onPick(this.loads.hosts[i]);
    });
    canvas.addEventListener('mousemove', (e) => this.hover(e));
    canvas.addEventListener('mouseleave', () => { this.tooltip.hidden = true; });
    window.addEventListener('resize', () => this.draw());
  }

  set(loads, metric, forecast) {
    this.loads = loads;
    this.metric = metric;
    this.forecast = forecast;
    this.draw();
  }

  select(name) {
    this.selected = this.loads ? this.loads.hosts.indexOf(name) : -1;
    this.draw();
  }

  values() {
    return this.forecast ? this.loads.forecast[this.metric] : this.loads[this.metric];
  }

  layout() {
    const n = Math.max(1, this.loads.hosts.length);
    const width = Math.max(200, this.canvas.parentElement.clientWidth - 12);
    const height = Math.max(240, window.innerHeight - 220);
    const tile = Math.max(4, Math.min(48, Math.floor(Math.sqrt((width * height) / n))));
    const cols = Math.max(1, Math.floor(width / tile));
    const rows = Math.ceil(n / cols);
    return { tile, cols, rows };
  }

  draw() {
    if (!this.loads) return;
    const { tile, cols, rows } = this.layout();
    const ratio = window.devicePixelRatio || 1;
    const c = this.canvas;
    c.style.width = `${cols * tile}px`;
    c.style.height = `${rows * tile}px`;
    c.width = cols * tile * ratio;
    c.height = rows * tile * ratio;
    c.dataset.tile = tile;
    c.dataset.cols = cols;
    c.dataset.count = this.loads.hosts.length;
    const g = c.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, cols * tile, rows * tile);
    const l = this.loads;
    const v = this.values();
    const inner = Math.max(1, tile - GAP);
    for (let i = 0; i < l.hosts.length; i++) {
      const x = (i % cols) * tile;
      const y = Math.floor(i / cols) * tile;
      const stale = l.stale ? l.stale[i] : false;
      g.fillStyle = stale ? '#a3a3a3' : !l.enabled[i] ? '#4b5563' : colour(v[i]);
      g.fillRect(x, y, inner, inner);
      if (l.hotspot[i] && tile >= 6) {
        g.strokeStyle = '#111';
        g.lineWidth = Math.max(1, Math.floor(tile / 8));
        g.strokeRect(x + g.lineWidth / 2, y + g.lineWidth / 2, inner - g.lineWidth, inner - g.lineWidth);
      } else if (l.hotspot[i]) {
        g.fillStyle = '#111';
        g.fillRect(x, y, inner, inner);
      }
      if (l.forecast_hotspot[i]) {
        const s = Math.max(2, Math.floor(inner * 0.45));
        g.fillStyle = '#fff';
        g.beginPath();
        g.moveTo(x + inner - s, y);
        g.lineTo(x + inner, y);
        g.lineTo(x + inner, y + s);
        g.closePath();
        g.fill();
      }
    }
    if (this.selected >= 0) {
      g.strokeStyle = '#2563eb';
      g.lineWidth = 2;
      g.strokeRect((this.selected % cols) * tile - 1, Math.floor(this.selected / cols) * tile - 1, tile + 1, tile + 1);
    }
  }

  indexAt(e) {
    if (!this.loads) return -1;
    const { tile, cols } = this.layout();
    const r = this.canvas.getBoundingClientRect();
    const col = Math.floor((e.clientX - r.left) / tile);
    const row = Math.floor((e.clientY - r.top) / tile);
    const i = row * cols + col;
    return col >= 0 && col < cols && i >= 0 && i < this.loads.hosts.length ? i : -1;
  }

  hover(e) {
    const i = this.indexAt(e);
    if (i < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const l = this.loads;
    const p = (a) => `${(a[i] * 100).toFixed(1)} %`;
    const flags = [l.hotspot[i] ? 'HOTSPOT' : '', l.forecast_hotspot[i] ? 'forecast hotspot' : '',
      l.stale && l.stale[i] ? 'stale' : '', l.enabled[i] ? '' : 'disabled'].filter(Boolean).join(', ');
    this.tooltip.textContent = `${l.hosts[i]}${flags ? ` (${flags})` : ''}\nCPU ${p(l.cpu_util)} → ${p(l.forecast.cpu_util)}`
      + `\nmemory ${p(l.mem_util)}  NIC ${p(l.nic_util)}\n${l.vm_count[i]} VM(s)`;
    const box = this.canvas.parentElement.getBoundingClientRect();
    this.tooltip.style.left = `${e.clientX - box.left + 14}px`;
    this.tooltip.style.top = `${e.clientY - box.top + 14}px`;
    this.tooltip.hidden = false;
  }
}
