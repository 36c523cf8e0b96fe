// A small line chart on a canvas: the host's sample window (oldest left) and, dashed, the AR(1)
// forecast of the next sample.
const SERIES = [['cpu_util', '#dc2626'], ['mem_util', '#2563eb'], ['nic_util', '#16a34a']];

export function drawSamples(canvas, samples, forecast) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.width;
  const h = canvas.clientHeight || canvas.height;
  canvas.width = w * ratio;
  canvas.height = h * ratio;
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  const left = 34;
  const top = 6;
  const bottom = h - 16;
  const right = w - 6;
  g.strokeStyle = '#d9dde3';
  g.fillStyle = '#6b7280';
  g.font = '10px system-ui, sans-serif';
  for (const y of [0, 0.5, 1]) {
    const py = bottom - y * (bottom - top);
    g.beginPath();
    g.moveTo(left, py);
    g.lineTo(right, py);
    g.stroke();
    g.fillText(`${y * 100}%`, 2, py + 3);
  }
  const n = samples.length;
  if (n === 0) {
    g.fillText('no samples yet: the profiler has not reported', left + 4, (top + bottom) / 2);
    return;
  }
  const slots = n + 1; // the forecast takes the next slot
  const x = (i) => left + (slots === 1 ? 0 : (i / (slots - 1)) * (right - left));
  const y = (v) => bottom - Math.max(0, Math.min(1, v)) * (bottom - top);
  g.fillText(`${n} sample(s)`, left, h - 3);
  for (const [key, colour] of SERIES) {
    g.strokeStyle = colour;
    g.lineWidth = 1.5;
    g.setLineDash([]);
    g.beginPath();
    samples.forEach((s, i) => (i === 0 ? g.moveTo(x(i), y(s[key])) : g.lineTo(x(i), y(s[key]))));
    g.stroke();
    if (forecast) {
      g.setLineDash([4, 3]);
      g.beginPath();
      g.moveTo(x(n - 1), y(samples[n - 1][key]));
      g.lineTo(x(n), y(forecast[key]));
      g.stroke();
      g.fillStyle = colour;
      g.fillRect(x(n) - 2, y(forecast[key]) - 2, 4, 4);
    }
  }
  g.setLineDash([]);
}

/** The migrations timeline: one bar per migration from its start to its last update, coloured by outcome. */
export function drawTimeline(canvas, migrations) {
  const colours = { completed: '#16a34a', failed: '#b91c1c', aborted: '#b91c1c', cancelled: '#9ca3af', skipped: '#9ca3af' };
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.width;
  const rowH = 6;
  const h = Math.max(60, Math.min(400, migrations.length * (rowH + 1) + 24));
  canvas.style.height = `${h}px`;
  canvas.width = w * ratio;
  canvas.height = h * ratio;
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  g.fillStyle = '#6b7280';
  g.font = '10px system-ui, sans-serif';
  if (migrations.length === 0) {
    g.fillText('no migrations yet', 8, 20);
    return;
  }
  const t0 = Math.min(...migrations.map((m) => Date.parse(m.created_at)));
  const t1 = Math.max(...migrations.map((m) => Date.parse(m.updated_at)), t0 + 1000);
  const x = (t) => 8 + ((t - t0) / (t1 - t0)) * (w - 16);
  g.fillText(new Date(t0).toLocaleString(), 8, h - 4);
  const end = new Date(t1).toLocaleString();
  g.fillText(end, w - 8 - g.measureText(end).width, h - 4);
  migrations.forEach((m, i) => {
    const y = 4 + i * (rowH + 1);
    if (y > h - 20) return;
    g.fillStyle = colours[m.state] || '#d97706';
    const a = x(Date.parse(m.created_at));
    g.fillRect(a, y, Math.max(3, x(Date.parse(m.updated_at)) - a), rowH);
  });
}
