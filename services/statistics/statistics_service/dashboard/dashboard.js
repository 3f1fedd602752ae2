// The Koshqon statistics dashboard: reads the service's own public API and draws inline SVG.
// No library and no network beyond this service, so it works on a closed ministry network.
"use strict";

const TEXT = {
  kk: {
    title: "Көші-қон статистикасы", subtitle: "Koshqon · дербес деректерсіз көрсеткіштер және ресми қатарлар",
    arrivalsByMonth: "Хабарланған келулер, айлар бойынша", arrivalsByMonthHint: "Соңғы 24 ай; күлгін — болжам (Холт-Винтерс) және оның аралығы",
    arrivalsByRegion: "Келулер өңірлер бойынша", compliance: "Мерзімдердің сақталуы",
    complianceHint: "Келуі мерзімінде хабарланғандардың үлесі, %", quota: "Квотаның пайдаланылуы өңірлер бойынша",
    quotaHint: "Шетелдік жұмыс күшіне арналған квота: лимит және пайдаланылғаны",
    reference: "Ресми анықтамалық қатарлар", referenceHint: "Бастапқы құжаттардағы мәндер; пунктир — болжам",
    suppression: "1–4 аралығындағы сандар жасырылған, сондай-ақ оларды қосындыдан шығаруға болмайтындай қосымша ұяшықтар да жасырылады.",
    openData: "Ашық деректер (CSV, JSON):", empty: "Әзірге деректер жоқ", emptyPlanned: "Бұл көрсеткіш оқиғалары қосылғаннан кейін толтырылады",
    suppressed: "жасырылған", forecast: "болжам", backtest: "Ретроспективті тексеру ({n} ай): MAE {mae}, MAPE {mape}",
    backtestYears: "Тексеру ({n} жыл): MAE {mae}, MAPE {mape}", tooShort: "Болжам үшін қатар әлі қысқа",
    tileLastMonth: "Келулер, {month}", tileOnTime: "Мерзімінде хабарланған", tileLate: "Кеш хабарланған, 12 ай",
    tileFresh: "Деректердің жаңалығы", vsPrevious: "алдыңғы айға қарағанда {delta}", last12: "соңғы 12 ай",
    seconds: "{n} с бұрын", minutes: "{n} мин бұрын", hours: "{n} сағ бұрын", noEvents: "оқиға әлі жоқ",
    year: "{year} жыл", limit: "Лимит", used: "Пайдаланылды", onTime: "Мерзімінде", decisions: "Мерзімінде қабылданған шешімдер, %",
    interpolated: "аралық жылдар интерполяцияланған", arrivals: "Келулер",
  },
  ru: {
    title: "Миграционная статистика", subtitle: "Koshqon · показатели без персональных данных и официальные ряды",
    arrivalsByMonth: "Уведомления о прибытии по месяцам", arrivalsByMonthHint: "Последние 24 месяца; фиолетовым — прогноз (Хольт-Винтерс) и его интервал",
    arrivalsByRegion: "Прибытия по регионам", compliance: "Соблюдение сроков",
    complianceHint: "Доля прибытий, о которых уведомили в срок, %", quota: "Использование квоты по регионам",
    quotaHint: "Квота на иностранную рабочую силу: лимит и использовано",
    reference: "Официальные справочные ряды", referenceHint: "Значения из исходных документов; пунктир — прогноз",
    suppression: "Значения от 1 до 4 скрыты, а также дополнительные ячейки, чтобы их нельзя было вычислить из итогов.",
    openData: "Открытые данные (CSV, JSON):", empty: "Данных пока нет", emptyPlanned: "Показатель заполнится, когда будут подключены его события",
    suppressed: "скрыто", forecast: "прогноз", backtest: "Проверка на истории ({n} мес.): MAE {mae}, MAPE {mape}",
    backtestYears: "Проверка ({n} г.): MAE {mae}, MAPE {mape}", tooShort: "Ряд пока слишком короткий для прогноза",
    tileLastMonth: "Прибытия, {month}", tileOnTime: "Уведомлено в срок", tileLate: "Уведомлено с опозданием, 12 мес.",
    tileFresh: "Свежесть данных", vsPrevious: "{delta} к предыдущему месяцу", last12: "последние 12 месяцев",
    seconds: "{n} с назад", minutes: "{n} мин назад", hours: "{n} ч назад", noEvents: "событий ещё не было",
    year: "{year} год", limit: "Лимит", used: "Использовано", onTime: "В срок", decisions: "Решения, принятые в срок, %",
    interpolated: "пропущенные годы интерполированы", arrivals: "Прибытия",
  },
  en: {
    title: "Migration statistics", subtitle: "Koshqon · PII-free indicators and official reference series",
    arrivalsByMonth: "Arrivals notified by month", arrivalsByMonthHint: "Last 24 months; purple: forecast (Holt-Winters) with its band",
    arrivalsByRegion: "Arrivals by region", compliance: "Deadline compliance",
    complianceHint: "Share of arrivals notified within the deadline, %", quota: "Quota use by region",
    quotaHint: "Foreign labour quota: limit and places used",
    reference: "Official reference series", referenceHint: "Figures from the source documents; dashed: forecast",
    suppression: "Counts of 1 to 4 are suppressed, and so are further cells wherever a total would give them away.",
    openData: "Open data (CSV, JSON):", empty: "No data yet", emptyPlanned: "This indicator fills in once its events are connected",
    suppressed: "suppressed", forecast: "forecast", backtest: "Back-test on {n} held-out months: MAE {mae}, MAPE {mape}",
    backtestYears: "Back-test on {n} year(s): MAE {mae}, MAPE {mape}", tooShort: "The series is still too short to forecast",
    tileLastMonth: "Arrivals, {month}", tileOnTime: "Notified on time", tileLate: "Notified late, 12 months",
    tileFresh: "Data freshness", vsPrevious: "{delta} on the previous month", last12: "last 12 months",
    seconds: "{n} s ago", minutes: "{n} min ago", hours: "{n} h ago", noEvents: "no events yet",
    year: "year {year}", limit: "Limit", used: "Used", onTime: "On time", decisions: "Decisions within deadline, %",
    interpolated: "missing years interpolated", arrivals: "Arrivals",
  },
};
const MONTHS = {
  kk: ["қаң", "ақп", "нау", "сәу", "мам", "мау", "шіл", "там", "қыр", "қаз", "қар", "жел"],
  ru: ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};
const REFERENCE_SERIES = ["kandas-arrivals", "labour-immigrant-permits", "refugees", "stateless-persons"];
const DATA = JSON.parse(document.getElementById("koshqon-data").textContent);
const SVG = "http://www.w3.org/2000/svg";

let language = pickLanguage();
let loaded = null;

function pickLanguage() {
  const asked = new URLSearchParams(location.search).get("lang") || localStorage.getItem("koshqon.lang");
  if (asked && TEXT[asked]) return asked;
  const browser = (navigator.language || "kk").slice(0, 2);
  return TEXT[browser] ? browser : "kk";
}

function t(key, params = {}) {
  let text = TEXT[language][key] ?? TEXT.en[key] ?? key;
  for (const [name, value] of Object.entries(params)) text = text.replace(`{${name}}`, value);
  return text;
}

function number(value, digits = 0) {
  const locale = { kk: "kk-KZ", ru: "ru-RU", en: "en-GB" }[language];
  return Number(value).toLocaleString(locale, { maximumFractionDigits: digits });
}

function compact(value) {
  if (Math.abs(value) >= 1e6) return `${number(value / 1e6, 1)}M`;
  if (Math.abs(value) >= 1e4) return `${number(value / 1e3, 1)}k`;
  return number(value, value < 10 && value % 1 ? 1 : 0);
}

function monthName(label) {
  const [year, month] = label.split("-");
  return `${MONTHS[language][Number(month) - 1]} ${year.slice(2)}`;
}

function regionName(code) {
  const region = DATA.regions[code];
  return region ? region[language] : code;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { "Accept-Language": language } });
  if (!response.ok) return { problem: await response.json().catch(() => ({})), status: response.status };
  return response.json();
}

// ---------------------------------------------------------------------------------------------
// Drawing

function el(name, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function svgFor(container, id, width, height) {
  container.replaceChildren();
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "data-chart": id });
  const defs = el("defs", {}, svg);
  const hatch = el("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)" }, defs);
  el("rect", { width: 6, height: 6, fill: "#eef1f4" }, hatch);
  el("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#b7c2cd", "stroke-width": 2 }, hatch);
  container.appendChild(svg);
  return svg;
}

function empty(container, id, planned = false) {
  const box = document.createElement("div");
  box.className = "empty";
  box.dataset.empty = id;
  box.textContent = planned ? `${t("empty")} · ${t("emptyPlanned")}` : t("empty");
  container.replaceChildren(box);
}

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= value / 1.0001);
  return step * power;
}

function yAxis(svg, box, max, format = compact) {
  const ticks = 4;
  for (let i = 0; i <= ticks; i += 1) {
    const value = (max * i) / ticks;
    const y = box.y + box.h - (box.h * i) / ticks;
    el("line", { x1: box.x, x2: box.x + box.w, y1: y, y2: y, class: "grid-line" }, svg);
    const label = el("text", { x: box.x - 6, y: y + 4, "text-anchor": "end", class: "label-text" }, svg);
    label.textContent = format(value);
  }
}

function title(node, text) {
  el("title", {}, node).textContent = text;
}

// Vertical bars by period, with an optional forecast (bars, band and line) after them.
// Charts are drawn at the size they are shown, so that their text stays at reading size.
function widthOf(container) {
  return Math.max(300, Math.round(container.getBoundingClientRect().width || 1000));
}

function columnChart(container, id, points, forecast = []) {
  const width = widthOf(container), height = 300;
  const box = { x: 54, y: 14, w: width - 70, h: height - 52 };
  const svg = svgFor(container, id, width, height);
  const all = [...points, ...forecast.map((f) => ({ period: f.period, value: f.value, upper: f.upper, forecast: true }))];
  const max = niceMax(Math.max(1, ...all.map((p) => Math.max(p.value ?? 0, p.upper ?? 0))));
  yAxis(svg, box, max);
  const slot = box.w / all.length;
  const barWidth = Math.max(2, Math.min(34, slot * 0.68));
  const scale = (v) => (box.h * v) / max;
  const every = Math.ceil(all.length / Math.max(4, Math.floor(box.w / 70)));
  if (forecast.length) {
    const first = points.length;
    const band = forecast.map((f, i) => [box.x + slot * (first + i + 0.5), box.y + box.h - scale(f.upper)])
      .concat(forecast.map((f, i) => [box.x + slot * (first + i + 0.5), box.y + box.h - scale(f.lower)]).reverse());
    el("polygon", { points: band.map((p) => p.join(",")).join(" "), class: "band" }, svg);
  }
  all.forEach((point, i) => {
    const x = box.x + slot * i + (slot - barWidth) / 2;
    const suppressed = point.value === null;
    const h = suppressed ? scale(max * 0.04) : scale(point.value);
    const classes = ["bar", suppressed ? "suppressed" : "", point.forecast ? "forecast" : ""].join(" ").trim();
    const bar = el("rect", { x, y: box.y + box.h - h, width: barWidth, height: Math.max(h, 0.5), class: classes,
      "data-period": point.period, "data-value": suppressed ? "" : point.value, rx: 2 }, svg);
    title(bar, `${monthName(point.period)}: ${suppressed ? t("suppressed") : number(point.value)}${point.forecast ? ` (${t("forecast")})` : ""}`);
    if (i % every === 0) {
      const label = el("text", { x: x + barWidth / 2, y: height - 20, "text-anchor": "middle", class: "label-text" }, svg);
      label.textContent = monthName(point.period);
    }
  });
  if (forecast.length) {
    const path = forecast.map((f, i) => `${i ? "L" : "M"}${box.x + slot * (points.length + i + 0.5)},${box.y + box.h - scale(f.value)}`).join(" ");
    el("path", { d: path, class: "line forecast" }, svg);
  }
  const legend = el("g", { transform: `translate(${box.x},${height - 4})` }, svg);
  const items = [["bar", t("arrivals")], ["bar suppressed", t("suppressed")], ...(forecast.length ? [["bar forecast", t("forecast")]] : [])];
  let offset = 0;
  for (const [cls, text] of items) {
    el("rect", { x: offset, y: -10, width: 11, height: 11, class: cls, rx: 2 }, legend);
    const label = el("text", { x: offset + 16, y: 0, class: "label-text" }, legend);
    label.textContent = text;
    offset += 36 + text.length * 7;
  }
}

// Horizontal bars, one row per item; `items` are {label, value, limit?}.
function barRows(container, id, items, { limits = false } = {}) {
  const rowHeight = 24, width = widthOf(container);
  const left = Math.min(200, Math.round(width * 0.36));
  const height = items.length * rowHeight + 12;
  const svg = svgFor(container, id, width, height);
  const max = niceMax(Math.max(1, ...items.map((i) => Math.max(i.value ?? 0, i.limit ?? 0))));
  const scale = (v) => ((width - left - 90) * v) / max;
  items.forEach((item, index) => {
    const y = 6 + index * rowHeight;
    const label = el("text", { x: left - 10, y: y + 14, "text-anchor": "end", class: "label-text" }, svg);
    label.textContent = item.label;
    if (limits && item.limit != null) {
      el("rect", { x: left, y: y + 2, width: scale(item.limit), height: rowHeight - 6, class: "bar limit", rx: 2 }, svg);
    }
    const suppressed = item.value === null;
    const w = suppressed ? 14 : scale(item.value);
    const bar = el("rect", { x: left, y: y + (limits ? 6 : 3), width: Math.max(w, 1), height: rowHeight - (limits ? 14 : 8),
      class: `bar ${limits ? "used" : ""} ${suppressed ? "suppressed" : ""}`.trim(), rx: 2,
      "data-label": item.label, "data-value": suppressed ? "" : item.value }, svg);
    title(bar, `${item.label}: ${suppressed ? t("suppressed") : number(item.value)}`);
    const text = el("text", { x: left + Math.max(w, limits ? scale(item.limit ?? 0) : 0) + 6, y: y + 14, class: "value-text" }, svg);
    text.textContent = suppressed ? t("suppressed") : limits && item.limit ? `${number(item.value)} / ${number(item.limit)}` : number(item.value);
  });
}

// Lines over labelled x positions; each series is {points: [{label, value, interpolated?}], forecast?}.
function lineChart(container, id, labels, series, { percent = false, labelFormat = (l) => l, height = 230 } = {}) {
  const width = widthOf(container);
  const box = { x: 48, y: 18, w: width - 64, h: height - 46 };
  const svg = svgFor(container, id, width, height);
  const values = series.flatMap((s) => [...s.points.map((p) => p.value), ...(s.forecast || []).map((f) => f.upper)])
    .filter((v) => v !== null && v !== undefined);
  const max = percent ? 100 : niceMax(Math.max(1, ...values));
  yAxis(svg, box, max, percent ? (v) => `${number(v)}%` : compact);
  const x = (i) => box.x + (labels.length === 1 ? box.w / 2 : (box.w * i) / (labels.length - 1));
  const y = (v) => box.y + box.h - (box.h * v) / max;
  const every = Math.ceil(labels.length / Math.max(3, Math.floor(box.w / 64)));
  labels.forEach((label, i) => {
    if (i % every) return;
    const text = el("text", { x: x(i), y: height - 10, "text-anchor": "middle", class: "label-text" }, svg);
    text.textContent = labelFormat(label);
  });
  for (const s of series) {
    const index = (label) => labels.indexOf(label);
    const present = s.points.filter((p) => p.value !== null);
    if (s.forecast && s.forecast.length && present.length) {
      const last = present[present.length - 1];
      const band = [[x(index(last.label)), y(last.value)], ...s.forecast.map((f) => [x(index(f.label)), y(f.upper)]),
        ...s.forecast.slice().reverse().map((f) => [x(index(f.label)), y(f.lower)])];
      el("polygon", { points: band.map((p) => p.join(",")).join(" "), class: "band" }, svg);
      const path = [last, ...s.forecast].map((p, i) => `${i ? "L" : "M"}${x(index(p.label))},${y(p.value)}`).join(" ");
      el("path", { d: path, class: "line forecast" }, svg);
      for (const f of s.forecast) {
        const dot = el("circle", { cx: x(index(f.label)), cy: y(f.value), r: 3.2, class: "dot forecast", "data-value": f.value }, svg);
        title(dot, `${labelFormat(f.label)}: ${number(f.value)} (${t("forecast")})`);
      }
    }
    const path = present.map((p, i) => `${i ? "L" : "M"}${x(index(p.label))},${y(p.value)}`).join(" ");
    if (present.length > 1) el("path", { d: path, class: "line" }, svg);
    for (const p of present) {
      const dot = el("circle", { cx: x(index(p.label)), cy: y(p.value), r: 3.6,
        class: `dot ${p.interpolated ? "interpolated" : ""}`.trim(), "data-value": p.value }, svg);
      title(dot, `${labelFormat(p.label)}: ${percent ? `${number(p.value, 1)}%` : number(p.value)}`);
    }
    if (s.showLast && present.length) {
      const last = present[present.length - 1];
      const text = el("text", { x: x(index(last.label)), y: y(last.value) - 9, "text-anchor": "middle", class: "value-text" }, svg);
      text.textContent = compact(last.value);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Data

function monthsBack(count) {
  const today = new Date();
  const start = new Date(Date.UTC(today.getFullYear(), today.getMonth() - (count - 1), 1));
  return start.toISOString().slice(0, 10);
}

function monthLabels(from, count) {
  const [year, month] = from.split("-").map(Number);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 1 + i, 1));
    return d.toISOString().slice(0, 7);
  });
}

async function load() {
  const from = monthsBack(24);
  const series = (id, params) => getJson(`/api/v1/indicators/${id}/series?${new URLSearchParams(params)}`);
  const [catalogue, arrivals, late, byRegion, forecast, decisions, onTimeDecisions, quotaLimit, quotaUsed] = await Promise.all([
    getJson("/api/v1/indicators"),
    series("arrivals", { period: "month", from }),
    series("arrivals-late", { period: "month", from }),
    series("arrivals", { period: "year", group_by: "region" }),
    getJson("/api/v1/indicators/arrivals/forecast?horizon=6"),
    series("decisions", { period: "month", from }),
    series("decisions-within-deadline", { period: "month", from }),
    series("quota-limit", { period: "year", group_by: "region" }),
    series("quota-used", { period: "year", group_by: "region" }),
  ]);
  const reference = await Promise.all(REFERENCE_SERIES.map(async (id) => ({
    id, series: await getJson(`/api/v1/reference/${id}`), forecast: await getJson(`/api/v1/reference/${id}/forecast?horizon=3`),
  })));
  return { from, catalogue, arrivals, late, byRegion, forecast, decisions, onTimeDecisions, quotaLimit, quotaUsed, reference };
}

function byPeriod(answer) {
  const map = new Map();
  for (const p of answer.points || []) map.set(p.period, p.value);
  return map;
}

function fed(id) {
  const entry = (loaded.catalogue || []).find?.((i) => i.id === id);
  return entry ? entry.fed_by.length > 0 : false;
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderTiles(labels, arrivals, late) {
  const tiles = document.getElementById("tiles");
  const lastFull = labels[labels.length - 2];
  const previous = labels[labels.length - 3];
  const value = arrivals.get(lastFull);
  const before = arrivals.get(previous);
  let sub = "";
  if (typeof value === "number" && typeof before === "number" && before > 0) {
    const delta = ((value - before) / before) * 100;
    sub = t("vsPrevious", { delta: `${delta >= 0 ? "+" : ""}${number(delta, 1)}%` });
  }
  const last12 = labels.slice(-12);
  const total = last12.reduce((sum, l) => sum + (arrivals.get(l) || 0), 0);
  const lateTotal = last12.reduce((sum, l) => sum + (late.get(l) || 0), 0);
  const share = total ? (100 * (total - lateTotal)) / total : null;
  const fresh = loaded.arrivals.freshness_seconds;
  const freshText = fresh === null || fresh === undefined ? t("noEvents")
    : fresh < 120 ? t("seconds", { n: number(fresh) }) : fresh < 7200 ? t("minutes", { n: number(fresh / 60) }) : t("hours", { n: number(fresh / 3600) });
  const tile = (cls, label, valueText, subText, key) =>
    `<div class="tile ${cls}" data-tile="${key}"><div class="label">${label}</div><div class="value">${valueText}</div><div class="sub">${subText}</div></div>`;
  tiles.innerHTML = [
    tile("", t("tileLastMonth", { month: monthName(lastFull) }), value === undefined ? "0" : value === null ? "<5" : number(value), sub || "&nbsp;", "last-month"),
    tile("ok", t("tileOnTime"), share === null ? "—" : `${number(share, 1)}%`, t("last12"), "on-time"),
    tile("late", t("tileLate"), number(lateTotal), t("last12"), "late"),
    tile("fresh", t("tileFresh"), freshText, "statistics_freshness_seconds", "freshness"),
  ].join("");
}

function render() {
  document.documentElement.lang = language;
  document.title = `Koshqon — ${t("title")}`;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const button of document.querySelectorAll("[data-lang]")) button.setAttribute("aria-pressed", String(button.dataset.lang === language));
  if (!loaded) return;

  const labels = monthLabels(loaded.from, 24);
  const arrivals = byPeriod(loaded.arrivals);
  const late = byPeriod(loaded.late);
  renderTiles(labels, arrivals, late);

  // Arrivals by month, with the forecast after the last full month.
  const monthContainer = document.getElementById("chart-arrivals-month");
  const note = document.getElementById("note-forecast");
  if (!arrivals.size) {
    empty(monthContainer, "arrivals-month");
    note.textContent = "";
  } else {
    const firstData = labels.findIndex((l) => arrivals.has(l));
    const shown = labels.slice(Math.max(0, firstData));
    const hasForecast = loaded.forecast && loaded.forecast.forecast;
    const history = hasForecast ? shown.filter((l) => l <= loaded.forecast.history.at(-1).period) : shown;
    const points = history.map((l) => ({ period: l, value: arrivals.has(l) ? arrivals.get(l) : 0 }));
    columnChart(monthContainer, "arrivals-month", points, hasForecast ? loaded.forecast.forecast : []);
    if (hasForecast) {
      const b = loaded.forecast.backtest;
      note.textContent = `${loaded.forecast.method} · ${t("backtest", { n: b.held_out, mae: number(b.mae, 1), mape: b.mape === null ? "—" : `${number(b.mape, 1)}%` })}`;
    } else {
      note.textContent = t("tooShort");
    }
  }

  // Arrivals by region in the newest year with data.
  const regionContainer = document.getElementById("chart-arrivals-region");
  const years = [...new Set((loaded.byRegion.points || []).map((p) => p.period))].sort();
  const year = years.at(-1);
  document.getElementById("hint-region").textContent = year ? t("year", { year }) : "";
  if (!year) {
    empty(regionContainer, "arrivals-region");
  } else {
    const items = loaded.byRegion.points.filter((p) => p.period === year)
      .map((p) => ({ label: regionName(p.region), value: p.value }))
      .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
    barRows(regionContainer, "arrivals-region", items);
  }

  // Deadline compliance: arrivals notified on time, and decisions within deadline.
  const complianceContainer = document.getElementById("chart-compliance");
  const shares = labels.map((l) => {
    const all = arrivals.get(l);
    const lateCount = late.has(l) ? late.get(l) : 0;
    return { label: l, value: typeof all === "number" && all > 0 && lateCount !== null ? (100 * (all - lateCount)) / all : null };
  });
  if (!shares.some((s) => s.value !== null)) empty(complianceContainer, "compliance");
  else lineChart(complianceContainer, "compliance", labels, [{ points: shares, showLast: true }], { percent: true, labelFormat: monthName });
  const decisionsContainer = document.getElementById("chart-decisions");
  const decided = byPeriod(loaded.decisions);
  const inTime = byPeriod(loaded.onTimeDecisions);
  const decisionShares = labels.map((l) => ({ label: l, value: decided.get(l) > 0 && typeof inTime.get(l) === "number" ? (100 * inTime.get(l)) / decided.get(l) : null }));
  if (!decisionShares.some((s) => s.value !== null)) empty(decisionsContainer, "decisions", !fed("decisions"));
  else lineChart(decisionsContainer, "decisions", labels, [{ points: decisionShares }], { percent: true, labelFormat: monthName });

  // Quota use by region.
  const quotaContainer = document.getElementById("chart-quota");
  const limits = loaded.quotaLimit.points || [];
  const used = loaded.quotaUsed.points || [];
  if (!limits.length && !used.length) {
    empty(quotaContainer, "quota", !fed("quota-used"));
  } else {
    const quotaYear = [...new Set([...limits, ...used].map((p) => p.period))].sort().at(-1);
    const regionsInYear = [...new Set([...limits, ...used].filter((p) => p.period === quotaYear).map((p) => p.region))];
    const items = regionsInYear.map((code) => ({
      label: regionName(code),
      limit: limits.find((p) => p.period === quotaYear && p.region === code)?.value ?? null,
      value: used.find((p) => p.period === quotaYear && p.region === code)?.value ?? 0,
    })).sort((a, b) => (b.limit ?? 0) - (a.limit ?? 0));
    barRows(quotaContainer, "quota", items, { limits: true });
  }

  renderReference();
}

function renderReference() {
  const container = document.getElementById("chart-reference");
  container.replaceChildren();
  for (const { id, series, forecast } of loaded.reference) {
    const figure = document.createElement("figure");
    figure.style.margin = "0";
    const heading = document.createElement("h3");
    heading.textContent = series.title || id;
    const meta = document.createElement("div");
    meta.className = "meta";
    const chart = document.createElement("div");
    chart.className = "chart";
    figure.append(heading, meta, chart);
    container.appendChild(figure);
    if (forecast && forecast.history) {
      const history = forecast.history.map((p) => ({ label: p.period, value: p.value, interpolated: !!p.interpolated }));
      const ahead = forecast.forecast.map((f) => ({ label: f.period, value: f.value, lower: f.lower, upper: f.upper }));
      const labels = [...history.map((p) => p.label), ...ahead.map((f) => f.label)];
      lineChart(chart, `reference-${id}`, labels, [{ points: history, forecast: ahead, showLast: true }], { height: 190 });
      const b = forecast.backtest;
      const unit = series.unit ? series.unit.title : "";
      meta.textContent = `${unit} · ${t("backtestYears", { n: b.held_out, mae: compact(b.mae), mape: b.mape === null ? "—" : `${number(b.mape, 1)}%` })}`
        + (history.some((p) => p.interpolated) ? ` · ${t("interpolated")}` : "");
    } else if (series.values && series.values.length) {
      const yearly = series.values.filter((v) => /^\d{4}$/.test(v.period || "") && (!v.dimensions.citizenship || v.dimensions.citizenship === "total"))
        .map((v) => ({ label: v.period, value: v.value }));
      if (!yearly.length) empty(chart, `reference-${id}`);
      else lineChart(chart, `reference-${id}`, yearly.map((p) => p.label), [{ points: yearly, showLast: true }], { height: 190 });
      meta.textContent = t("tooShort");
    } else {
      empty(chart, `reference-${id}`);
    }
  }
}

async function refresh() {
  loaded = await load();
  render();
  document.body.dataset.ready = language;
}

for (const button of document.querySelectorAll("[data-lang]")) {
  button.addEventListener("click", async () => {
    language = button.dataset.lang;
    localStorage.setItem("koshqon.lang", language);
    const url = new URL(location.href);
    url.searchParams.set("lang", language);
    history.replaceState(null, "", url);
    document.body.dataset.ready = "";
    render();
    await refresh();
  });
}

render();
refresh();
